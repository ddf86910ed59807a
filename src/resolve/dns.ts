import { lookup } from "node:dns/promises";
import { canonicalAddress } from "../common/endpoint.js";
import type { Candidate, Family, Resolution } from "../model.js";

/** Resolves hostnames to candidates. Injected into a pass so tests can use a fake. */
export type Resolver = (hostname: string) => Promise<Resolution>;

/**
 * All A and AAAA records of a name through one getaddrinfo (AF_UNSPEC, as `wg` itself resolves),
 * so /etc/hosts, /etc/resolv.conf and nsswitch count exactly as they do for `wg` and wg-quick.
 * AAAA first, each family in the resolver's order; duplicates and IPv4-mapped IPv6 addresses
 * are dropped.
 */
export function systemResolver(timeoutMs: number): Resolver {
  return async (hostname) => {
    const answer = await lookupAll(hostname, timeoutMs);
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

async function lookupAll(hostname: string, timeoutMs: number): Promise<Candidate[] | string> {
  let timer: NodeJS.Timeout | undefined;
  // NOTE: getaddrinfo cannot be cancelled; on timeout its thread finishes in the background.
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(
      () => resolve(`resolving ${hostname} timed out after ${timeoutMs} ms`),
      timeoutMs,
    );
  });
  try {
    const answer = lookup(hostname, { family: 0, all: true, order: "verbatim" }).then(
      (addrs) =>
        addrs.map((a) => ({
          address: canonicalAddress(a.address),
          family: (a.family === 6 ? 6 : 4) as Family,
        })),
      (error: NodeJS.ErrnoException) => lookupError(hostname, error),
    );
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
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
