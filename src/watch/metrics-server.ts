import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { ListenAddress } from "../common/listen-address.js";

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

/** A scrape is one small request: a handful of scrapers, each done within a few seconds. */
export const METRICS_LIMITS: MetricsLimits = { maxConnections: 8, connectionMs: 5_000 };

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
): Promise<MetricsServer> {
  const answered = new WeakSet<Socket>();
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
