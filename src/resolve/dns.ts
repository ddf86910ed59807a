import { lookup } from "node:dns/promises";
import { canonicalAddress } from "../common/endpoint.js";
import type { Candidate, Family, Resolution } from "../model.js";
import { type LookupGate, lookupGate, lookupLimit } from "./lookup-gate.js";

/** Resolves hostnames to candidates. Injected into a pass so tests can use a fake. */
export type Resolver = (hostname: string) => Promise<Resolution>;

/** getaddrinfo as node:dns/promises' lookup() with `all: true` gives it. */
export type Getaddrinfo = (
  hostname: string,
  options: { family: 0; all: true; order: "verbatim" },
) => Promise<{ address: string; family: number }[]>;

/**
 * All A and AAAA records of a name through one getaddrinfo (AF_UNSPEC, as `wg` itself resolves),
 * so /etc/hosts, /etc/resolv.conf and nsswitch count exactly as they do for `wg` and wg-quick.
 * AAAA first, each family in the resolver's order; duplicates and IPv4-mapped IPv6 addresses
 * are dropped.
 */
export function systemResolver(
  timeoutMs: number,
  getaddrinfo: Getaddrinfo = lookup,
  gate: LookupGate = processGate(),
): Resolver {
  return async (hostname) => {
    const answer = await lookupAll(hostname, timeoutMs, getaddrinfo, gate);
    if (typeof answer === "string") return { ok: false, error: answer };
    const candidates = [
      ...answer.filter((c) => c.family === 6),
      ...answer.filter((c) => c.family === 4),
    ];
    if (candidates.length > 0) return { ok: true, candidates: dedupe(candidates) };
    return { ok: false, error: `${hostname} has no A or AAAA record` };
  };
}

// --- internal ---

let shared: LookupGate | undefined;

// One gate for the process: the thread pool is the process's (lookup-gate.ts).
function processGate(): LookupGate {
  shared ??= lookupGate(lookupLimit());
  return shared;
}

async function lookupAll(
  hostname: string,
  timeoutMs: number,
  getaddrinfo: Getaddrinfo,
  gate: LookupGate,
): Promise<Candidate[] | string> {
  // NOTE: getaddrinfo cannot be cancelled; on timeout its thread finishes in the background,
  // and the gate counts it until then, so timed-out lookups never pile up in the thread pool.
  const ask = () =>
    getaddrinfo(hostname, { family: 0, all: true, order: "verbatim" }).then(
      (addrs) =>
        addrs.map((a) => ({
          address: canonicalAddress(a.address),
          family: (a.family === 6 ? 6 : 4) as Family,
        })),
      (error: NodeJS.ErrnoException) => lookupError(hostname, error),
    );
  return (await gate.run(ask, timeoutMs)) ?? timedOut(hostname, timeoutMs, gate);
}

function timedOut(hostname: string, timeoutMs: number, gate: LookupGate): string {
  const busy = gate.running;
  const still =
    busy > 0
      ? ` (${busy} ${busy === 1 ? "lookup is" : "lookups are"} still running: is DNS reachable?)`
      : "";
  return `resolving ${hostname} timed out after ${timeoutMs} ms${still}`;
}

function lookupError(hostname: string, error: NodeJS.ErrnoException): Candidate[] | string {
  // No A or AAAA record at all (the name exists, or not): not a timeout, say so plainly.
  if (error.code === "ENOTFOUND" || error.code === "ENODATA") return [];
  if (error.code === "EAI_AGAIN")
    return `resolving ${hostname} failed temporarily (EAI_AGAIN): is DNS reachable?`;
  return `resolving ${hostname} failed: ${error.code ?? error.message}`;
}

function dedupe(candidates: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    if (c.address.startsWith("::ffff:") || seen.has(c.address)) return false;
    seen.add(c.address);
    return true;
  });
}
