import { createRequire } from "node:module";

let collect: (() => void) | undefined;

/**
 * Runs one full garbage collection now.
 * NOTE(perf): a big pass's probes (records, net-ping's requests, their buffers and timers) turn
 * to garbage at once when the probing ends, and V8 has not collected the old generation since
 * the pass began, so it sets its next limit from a heap of mostly garbage and lets the decide
 * and report phase grow it further: that phase held the peak RSS of a big pass (README
 * "Performance" has the figures). `gc` is V8's own function, exposed at run time (as Jest's
 * leak detector does); node:v8 and node:vm are loaded only here, so a small pass does not pay
 * for them.
 */
export function collectGarbageNow(): void {
  if (collect === undefined) {
    const require = createRequire(import.meta.url);
    (require("node:v8") as typeof import("node:v8")).setFlagsFromString("--expose-gc");
    collect = (require("node:vm") as typeof import("node:vm")).runInNewContext("gc") as () => void;
  }
  collect();
}
