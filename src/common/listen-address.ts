import { isIP } from "node:net";

/** An address to listen on: an IP literal (no name, so the bind is exactly what was given). */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Parses `metrics.listen`: `IPV4:PORT` or `[IPV6]:PORT`. A name is refused: it could resolve to
 * more (or other) addresses than the operator meant to expose. Returns what was expected on error.
 */
export function parseListenAddress(text: string): ListenAddress | string {
  // NOTE: node's isIP accepts zone ids (fe80::1%eth0); the pattern below does not.
  const match = LISTEN_PATTERN.exec(text);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  const family = match?.[1] !== undefined ? 6 : 4;
  if (host === undefined || isIP(host) !== family || port < 1 || port > 65535)
    return LISTEN_EXPECTED;
  return { host, port };
}

/** The shape of `metrics.listen` (the JSON Schema repeats it; the address and port are checked after). */
export const LISTEN_PATTERN = /^(?:\[([0-9A-Fa-f:.]+)\]|([0-9.]+)):(\d{1,5})$/;

/** What a `metrics.textfile` must be, when `path` is not that: absolute, and named `NAME.prom`. */
export function textfileProblem(path: string): string | undefined {
  return TEXTFILE_PATTERN.test(path) ? undefined : TEXTFILE_EXPECTED;
}

/** What `metrics.textfile` must be. */
const TEXTFILE_EXPECTED = 'an absolute path to a file named "NAME.prom"';

/**
 * Absolute, and the file's name is `NAME.prom`: node_exporter's textfile collector reads only
 * `*.prom`, and the temporary files are dot files. The settings' JSON Schema repeats it.
 */
export const TEXTFILE_PATTERN = /^\/(?:.*\/)?[^./][^/]*\.prom$/;

/** What `metrics.listen` must be. */
export const LISTEN_EXPECTED =
  '"IPV4:PORT" or "[IPV6]:PORT" with a port 1-65535 (127.0.0.1:PORT is the safe choice)';

/**
 * The warning `watch` logs at start when `metrics.listen` is not a loopback address: the metrics
 * name every peer's key, hostname and endpoint, without authentication.
 */
export function exposedListenWarning(address: ListenAddress): string | undefined {
  const { host } = address;
  const loopback =
    /^127\./.test(host) || /^(?:0*:)*:?0*1$/.test(host) || /^::ffff:127\./i.test(host);
  if (loopback) return undefined;
  const shown = host.includes(":") ? `[${host}]:${address.port}` : `${host}:${address.port}`;
  return `warning: metrics.listen ${shown} is not a loopback address: anyone who can reach it reads every peer's key, hostname and endpoint; prefer 127.0.0.1:${address.port}`;
}
