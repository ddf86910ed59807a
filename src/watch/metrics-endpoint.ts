import { systemClock } from "../clock.js";
import { exposedListenWarning, parseListenAddress } from "../common/listen-address.js";
import { toolVersion } from "../common/version.js";
import type { PassTiming } from "../report/metrics.js";
import type { State } from "../state/state.js";
import type { Log } from "./log.js";
import { renderOncePerPass } from "./metrics-cache.js";
import { type MetricsServer, startMetricsServer } from "./metrics-server.js";

export type { MetricsServer };

/**
 * Starts `GET /metrics` on `metrics.listen` for the service, rendering what `input()` gives at
 * most once per pass (and once every few seconds). Logs where it listens, and warns when that is
 * not loopback; logs the error and returns undefined when it cannot bind (the service then exits
 * 4: the operator asked for an address this host cannot give).
 */
export async function serveMetrics(
  listen: string,
  input: () => { state: State; lastPass: PassTiming | undefined },
  log: Log,
): Promise<MetricsServer | undefined> {
  const address = parseListenAddress(listen);
  if (typeof address === "string") throw new Error(`metrics.listen: expected ${address}`); // validated
  // Loaded only here: a service without metrics.listen never parses prom-client.
  const { METRICS_CONTENT_TYPE, renderMetrics } = await import("../report/metrics.js");
  const version = await toolVersion();
  const exposed = exposedListenWarning(address);
  if (exposed !== undefined) log.line({ level: "warning", text: exposed });
  const render = (now: ReturnType<typeof input>) => renderMetrics({ ...now, version });
  try {
    const server = await startMetricsServer(address, {
      contentType: METRICS_CONTENT_TYPE,
      render: renderOncePerPass(input, render, systemClock, RENDER_EVERY_MS),
    });
    log.line({ level: "change", text: `serving metrics on http://${server.address}/metrics` });
    return server;
  } catch (error) {
    log.line({ level: "error", text: `error: ${(error as Error).message}` });
    return undefined;
  }
}

// --- internal ---

/** Passes may end every half second (suspect peers); the text is rendered at most this often. */
const RENDER_EVERY_MS = 5_000;
