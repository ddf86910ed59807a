import { lookup } from "node:dns/promises";
import { canonicalAddress } from "../discover/endpoint.js";
import type { Candidate, Family, Resolution } from "../model.js";

/** Resolves hostnames to candidates. Injected into a pass so tests can use a fake. */
export type Resolver = (hostname: string) => Promise<Resolution>;

/**
 * All A and AAAA records of a name through getaddrinfo, so /etc/hosts, /etc/resolv.conf and
 * nsswitch count exactly as they do for `wg` and wg-quick. AAAA first, each family in the
 * resolver's order; duplicates and IPv4-mapped IPv6 addresses are dropped.
 */
export function systemResolver(timeoutMs: number): Resolver {
  return async (hostname) => {
    const [v6, v4] = await Promise.all([
      family(hostname, 6, timeoutMs),
      family(hostname, 4, timeoutMs),
    ]);
    const candidates = [...(Array.isArray(v6) ? v6 : []), ...(Array.isArray(v4) ? v4 : [])];
    if (candidates.length > 0) return { ok: true, candidates: dedupe(candidates) };
    const errors = [v6, v4].filter((r): r is string => typeof r === "string");
    return {
      ok: false,
      error: errors.length > 0 ? unique(errors).join("; ") : `${hostname} has no A or AAAA record`,
    };
  };
}

// --- internal ---

async function family(
  hostname: string,
  fam: Family,
  timeoutMs: number,
): Promise<Candidate[] | string> {
  let timer: NodeJS.Timeout | undefined;
  // NOTE: getaddrinfo cannot be cancelled; on timeout its thread finishes in the background.
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(
      () => resolve(`resolving ${hostname} timed out after ${timeoutMs} ms`),
      timeoutMs,
    );
  });
  try {
    const answer = lookup(hostname, { family: fam, all: true, order: "verbatim" }).then(
      (addrs) => addrs.map((a) => ({ address: canonicalAddress(a.address), family: fam })),
      (error: NodeJS.ErrnoException) => lookupError(hostname, error),
    );
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function lookupError(hostname: string, error: NodeJS.ErrnoException): Candidate[] | string {
  // A name with records of one family only answers "no data" for the other: not a failure.
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

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
