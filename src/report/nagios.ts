import type { PeerSnapshot } from "../state/shape.js";

import { short } from "./format.js";
import { duration, type RecordedPeer } from "./peer-table.js";

/** What the check judges besides the rows. */
export interface NagiosInput {
  readonly now: number;
  readonly intervalSeconds: number;
  readonly stateDir: string;
  /** `FILE: REASON` when the state file exists but could not be read. */
  readonly unreadable?: string | undefined;
}

/** `status --check`'s verdict: one line and the exit code of a Nagios or Icinga check. */
export interface NagiosVerdict {
  readonly exitCode: 0 | 1 | 3;
  readonly line: string;
}

/**
 * The Nagios/Icinga contract: 0 (OK) when every recorded peer is up; 1 (WARNING, as Nagios
 * reads 1) naming the peers that are not; 3 (UNKNOWN) when the state file cannot be read,
 * nothing is recorded, the last pass is older than twice the pass interval or dated in the
 * future, since then the state says nothing about now. A peer that no pass has seen for that
 * long (its interface is down) counts as not up.
 */
export function nagiosVerdict(
  rows: readonly RecordedPeer[],
  { now, intervalSeconds, stateDir, unreadable }: NagiosInput,
): NagiosVerdict {
  if (unreadable !== undefined) return { exitCode: 3, line: `UNKNOWN: cannot read ${unreadable}` };
  const seen = rows.filter((r): r is RecordedPeer & { last: PeerSnapshot } => r.last !== undefined);
  if (seen.length === 0) return { exitCode: 3, line: `UNKNOWN: no peers recorded in ${stateDir}` };
  const limit = 2 * intervalSeconds * 1000;
  const age = now - Math.max(...seen.map((r) => r.last.at));
  if (-age > FUTURE_MS) {
    const line = `UNKNOWN: the last pass in ${stateDir} is dated ${duration(-age)} in the future; is the clock right?`;
    return { exitCode: 3, line };
  }
  if (age > limit) {
    const line = `UNKNOWN: the last pass was ${duration(age)} ago, more than twice the pass interval (${intervalSeconds} s); is wg-endpoint-manager running?`;
    return { exitCode: 3, line };
  }
  const down = seen.flatMap((r) => {
    const name = `${r.iface} ${short(r.publicKey)} (${r.last.hostname})`;
    if (now - r.last.at > limit) return [`${name} not checked for ${duration(now - r.last.at)}`];
    return r.last.up ? [] : [name];
  });
  const perf = `| up=${seen.length - down.length} down=${down.length} age=${Math.round(age / 1000)}s`;
  if (down.length === 0) return { exitCode: 0, line: `OK: ${count(seen.length)} up ${perf}` };
  const line = `WARNING: ${down.length} of ${count(seen.length)} not up: ${down.join(", ")} ${perf}`;
  return { exitCode: 1, line };
}

// --- internal ---

/** A clock stepped back by a few seconds is no alarm; a pass dated a minute ahead is. */
const FUTURE_MS = 60_000;

function count(peers: number): string {
  return peers === 1 ? "1 peer" : `${peers} peers`;
}
