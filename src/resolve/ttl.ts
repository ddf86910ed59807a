import { Resolver } from "node:dns/promises";
import { canonicalAddress } from "../common/endpoint.js";
import type { Candidate } from "../model.js";

/** A record's TTL (seconds) for a name, if DNS answers with exactly `candidates`; else undefined. */
export type TtlLookup = (
  hostname: string,
  candidates: readonly Candidate[],
) => Promise<number | undefined>;

/** One A or AAAA record with its TTL, as `resolve4`/`resolve6` with `{ ttl: true }` give it. */
export interface TtlRecord {
  readonly address: string;
  readonly ttl: number;
}

/**
 * TTLs from the DNS servers in /etc/resolv.conf (node's c-ares Resolver), trusted only when the
 * A and AAAA records are exactly the set getaddrinfo gave: a name from /etc/hosts, or one that
 * nsswitch answers differently, gets no TTL and is followed at the full-pass interval.
 */
export function dnsTtl(timeoutMs: number, nowMs: () => number = Date.now): TtlLookup {
  // NOTE: c-ares reads /etc/resolv.conf only when a Resolver is made: a new one every minute
  // follows a changed resolv.conf, without a new channel for every lookup (every 5 s per name).
  let resolver: Resolver | undefined;
  let made = 0;
  return async (hostname, candidates) => {
    if (resolver === undefined || nowMs() - made >= RESOLVER_LIFE_MS) {
      resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
      made = nowMs();
    }
    const current = resolver;
    const [v4, v6] = await Promise.all([
      records(() => current.resolve4(hostname, { ttl: true })),
      records(() => current.resolve6(hostname, { ttl: true })),
    ]);
    if (v4 === undefined || v6 === undefined) return undefined;
    return ttlOfSameSet(candidates, [...v4, ...v6]);
  };
}

/** The smallest TTL of `answer` when its addresses are exactly those of `candidates`; else undefined. */
export function ttlOfSameSet(
  candidates: readonly Candidate[],
  answer: readonly TtlRecord[],
): number | undefined {
  if (answer.length === 0) return undefined;
  const wanted = new Set(candidates.map((c) => c.address));
  const got = new Set(answer.map((r) => canonicalAddress(r.address)));
  if (wanted.size !== got.size || [...got].some((a) => !wanted.has(a))) return undefined;
  return Math.min(...answer.map((r) => r.ttl));
}

// --- internal ---

const RESOLVER_LIFE_MS = 60_000;

/** The records of one family: none when the name has no such record, undefined on any other error. */
async function records(query: () => Promise<TtlRecord[]>): Promise<TtlRecord[] | undefined> {
  try {
    return await query();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENODATA" || code === "ENOTFOUND" ? [] : undefined;
  }
}
