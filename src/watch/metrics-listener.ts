import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type ListenAddress, parseListenAddress } from "../common/listen-address.js";
import { toolVersion } from "../common/version.js";
import type { PassTiming } from "../pass/pass.js";
import type { Log } from "../report/log.js";
import type { State } from "../state/shape.js";

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

/** A running `/metrics` endpoint. */
export interface MetricsServer {
  /** `HOST:PORT` as bound (the port is the real one when 0 was asked for, in tests). */
  readonly address: string;
  close(): Promise<void>;
}

/** What the server answers `GET /metrics` with. */
export interface MetricsSource {
  readonly contentType: string;
  render(): Promise<string>;
}

/**
 * Serves `GET /metrics` (and HEAD) on exactly `listen`; any other path is 404, any other method
 * 405. Rejects with an Error naming the address when it cannot bind (in use, not on this host).
 */
export async function startMetricsServer(
  listen: ListenAddress,
  source: MetricsSource,
): Promise<MetricsServer> {
  const server = createServer((request, response) => void answer(request, response, source));
  // A scrape is one small request: slow or idle clients must not hold sockets open.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  const shown = hostPort(listen.host, listen.port);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(`metrics.listen ${shown}: cannot listen: ${error.code ?? error.message}`)),
    );
    // ipv6Only: "[::]:PORT" means IPv6 only, exactly what was given, not IPv4 as well.
    server.listen({ host: listen.host, port: listen.port, ipv6Only: true }, resolve);
  });
  const bound = server.address();
  const port = typeof bound === "object" && bound !== null ? bound.port : listen.port;
  return {
    address: hostPort(listen.host, port),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// --- internal ---

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  source: MetricsSource,
): Promise<void> {
  const path = (request.url ?? "").split("?")[0];
  if (path !== "/metrics") return send(response, 404, "not found; try /metrics\n");
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.setHeader("Allow", "GET, HEAD");
    return send(response, 405, "method not allowed\n");
  }
  try {
    const text = await source.render();
    response.writeHead(200, {
      "Content-Type": source.contentType,
      "Content-Length": Buffer.byteLength(text),
    });
    response.end(request.method === "HEAD" ? undefined : text);
  } catch (error) {
    send(response, 500, `cannot render the metrics: ${(error as Error).message}\n`);
  }
}

function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

function send(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  response.end(text);
}
