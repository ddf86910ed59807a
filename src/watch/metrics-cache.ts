import type { Clock } from "../clock.js";

/** What the metrics show: changes only when a pass ends (new objects), never in place. */
export interface MetricsInput {
  readonly state: object;
  readonly lastPass: object | undefined;
}

/**
 * A render that runs at most once per pass, and at most once every `minIntervalMs` however often
 * passes end: scrapes between them (and scrapes that arrive together) share one buffer, so a
 * flood of requests costs no more memory or CPU than one.
 */
export function renderOncePerPass<T extends MetricsInput>(
  input: () => T,
  render: (input: T) => Promise<string>,
  clock: Pick<Clock, "now">,
  minIntervalMs: number,
): () => Promise<Buffer> {
  let last: { state: object; lastPass: object | undefined; at: number; body: Promise<Buffer> };
  let rendered = false;
  return () => {
    const now = input();
    const same = rendered && last.state === now.state && last.lastPass === now.lastPass;
    if (rendered && (same || clock.now() - last.at < minIntervalMs)) return last.body;
    const body = render(now).then((text) => Buffer.from(text));
    last = { state: now.state, lastPass: now.lastPass, at: clock.now(), body };
    rendered = true;
    // A failed render is not kept: the next scrape tries again.
    body.catch(() => {
      if (last.body === body) rendered = false;
    });
    return body;
  };
}
