import { parseListenAddress } from "../common/listen-address.js";
import { toolVersion } from "../common/version.js";
import type { PassTiming } from "../report/metrics.js";
import type { State } from "../state/state.js";
import type { Log } from "./log.js";
import { type MetricsServer, startMetricsServer } from "./metrics-server.js";

export type { MetricsServer };

/**
 * Starts `GET /metrics` on `metrics.listen` for the service, rendering what `input()` gives at
 * each scrape. Logs where it listens; logs the error and returns undefined when it cannot bind
 * (the service then exits 4: the operator asked for an address this host cannot give).
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
  try {
    const server = await startMetricsServer(address, {
      contentType: METRICS_CONTENT_TYPE,
      render: () => renderMetrics({ ...input(), version }),
    });
    log.line({ level: "change", text: `serving metrics on http://${server.address}/metrics` });
    return server;
  } catch (error) {
    log.line({ level: "error", text: `error: ${(error as Error).message}` });
    return undefined;
  }
}
