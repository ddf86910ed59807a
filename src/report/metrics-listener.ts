import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { Socket } from "node:net";
import { type Clock, systemClock } from "../clock.js";
import {
  exposedListenWarning,
  type ListenAddress,
  parseListenAddress,
} from "../common/listen-address.js";
import { toolVersion } from "../common/version.js";
import type { State } from "../state/shape.js";
import type { Log } from "./log.js";
import type { MetricsInput } from "./metrics.js";

/**
 * Starts `GET /metrics` on `metrics.listen` for the service, rendering what `input()` gives at
 * most once per pass (and once every few seconds). Logs where it listens, and warns when that is
 * not loopback; logs the error and returns undefined when it cannot bind (the service then exits
 * 4: the operator asked for an address this host cannot give).
 */
export async function serveMetrics(
  listen: string,
  input: () => { state: State; lastPass: MetricsInput["lastPass"] },
  log: Log,
): Promise<MetricsServer | undefined> {
  const address = parseListenAddress(listen);
  if (typeof address === "string") throw new Error(`metrics.listen: expected ${address}`); // validated
  // Loaded only here: a service without metrics.listen never parses prom-client.
  const { METRICS_CONTENT_TYPE, renderMetrics } = await import("./metrics.js");
  const version = await toolVersion();
  const exposed = exposedListenWarning(address);
  if (exposed !== undefined) log.line({ level: "warning", text: exposed });
  const render = (now: ReturnType<typeof input>) => renderMetrics({ ...now, version });
  try {
    const server = await startMetricsServer(
      address,
      {
        contentType: METRICS_CONTENT_TYPE,
        render: renderOncePerPass(input, render, systemClock, RENDER_EVERY_MS),
      },
      METRICS_LIMITS,
      (error) => log.line({ level: "error", text: `error: metrics listener: ${error.message}` }),
    );
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

/** What the server answers `GET /metrics` with: a text rendered at most once per pass. */
export interface MetricsSource {
  readonly contentType: string;
  render(): Promise<Buffer>;
}

/** How much a scraper may hold: connections at once, and how long each may stay open. */
export interface MetricsLimits {
  readonly maxConnections: number;
  readonly connectionMs: number;
}

/**
 * A scrape is one small request from a handful of scrapers; one still open after 10 s is of no
 * use, since Prometheus gives up at its default scrape_timeout, 10 s.
 */
const METRICS_LIMITS: MetricsLimits = { maxConnections: 8, connectionMs: 10_000 };

/**
 * Serves `GET /metrics` (and HEAD, which renders nothing) on exactly `listen`; any other path is
 * 404, any other method 405. One request per connection, closed after the response; at most
 * `maxConnections` at once (more are closed at once); a connection still open after
 * `connectionMs` (a client that sends nothing, or does not read its response) is destroyed.
 * Rejects with an Error naming the address when it cannot bind (in use, not on this host).
 */
export async function startMetricsServer(
  listen: ListenAddress,
  source: MetricsSource,
  limits: MetricsLimits = METRICS_LIMITS,
  onError?: (error: Error) => void,
): Promise<MetricsServer> {
  const answered = new WeakSet<Socket>();
  // NOTE(perf): node:http is loaded only here, so a service without metrics.listen never loads
  // its thirty-odd modules (about 0.8 MB of its RSS).
  const { createServer } = createRequire(import.meta.url)(
    "node:http",
  ) as typeof import("node:http");
  const server = createServer((request, response) => {
    // NOTE: node parses pipelined requests and answers each in turn: only the first is served.
    if (answered.has(request.socket)) return;
    answered.add(request.socket);
    void answer(request, response, source);
  });
  server.maxConnections = limits.maxConnections;
  server.requestTimeout = limits.connectionMs;
  server.headersTimeout = limits.connectionMs;
  server.on("connection", (socket: Socket) => {
    const deadline = setTimeout(() => socket.destroy(), limits.connectionMs);
    deadline.unref();
    socket.once("close", () => clearTimeout(deadline));
  });
  const shown = hostPort(listen.host, listen.port);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(`metrics.listen ${shown}: cannot listen: ${error.code ?? error.message}`)),
    );
    // ipv6Only: "[::]:PORT" means IPv6 only, exactly what was given, not IPv4 as well.
    server.listen({ host: listen.host, port: listen.port, ipv6Only: true }, resolve);
  });
  // Once bound, an error (EMFILE on accept) is told and the listener goes on; unheard, it would
  // end the service.
  if (onError !== undefined) server.on("error", onError);
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

/** What a render is made from: changes only when a pass ends (new objects), never in place. */
export interface PerPassInput {
  readonly state: object;
  readonly lastPass: object | undefined;
}

/**
 * A render that runs at most once per pass, and at most once every `minIntervalMs` however often
 * passes end: scrapes between them (and scrapes that arrive together) share one buffer, so a
 * flood of requests costs no more memory or CPU than one.
 */
export function renderOncePerPass<T extends PerPassInput>(
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

// --- internal ---

/** Passes may end every half second (suspect peers); the text is rendered at most this often. */
const RENDER_EVERY_MS = 5_000;

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  source: MetricsSource,
): Promise<void> {
  response.setHeader("Connection", "close"); // node then ends the socket after the response
  const path = (request.url ?? "").split("?")[0];
  if (path !== "/metrics") return send(response, 404, "not found; try /metrics\n");
  if (request.method === "HEAD") {
    response.writeHead(200, { "Content-Type": source.contentType });
    return void response.end();
  }
  if (request.method !== "GET") {
    response.setHeader("Allow", "GET, HEAD");
    return send(response, 405, "method not allowed\n");
  }
  try {
    const body = await source.render();
    response.writeHead(200, { "Content-Type": source.contentType, "Content-Length": body.length });
    response.end(body);
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
