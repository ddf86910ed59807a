import type { CandidateEndpoint } from "../model.js";
import type { View } from "./view.js";

/**
 * How a pass stays bounded in time: each WireGuard verification may take verify.timeoutMs, so
 * a peer gets at most `maxTriesPerPass` of them per pass, and only `maxAddressesPerName`
 * addresses of each name are candidates at all. Whatever a bound leaves out is named, so the
 * operator sees what was not tried.
 */

/** Whether this pass has used up the peer's WireGuard verifications. */
export function triesUsedUp(v: View): boolean {
  return v.obs.wireguard.size >= v.policy.maxTriesPerPass;
}

/** The addresses a bound left out, as a clause for a final decision's reason ("" when none). */
export function leftUntried(v: View, untried: readonly CandidateEndpoint[]): string {
  const parts: string[] = [];
  if (untried.length > 0 && triesUsedUp(v)) {
    const max = v.policy.maxTriesPerPass;
    parts.push(
      `${max} WireGuard ${max === 1 ? "check" : "checks"} per pass (verify.maxTriesPerPass) used up; left untried until the next pass: ${listed(v, untried)}`,
    );
  }
  if (v.leftOut.length > 0) {
    const max = v.policy.maxAddressesPerName;
    parts.push(`never tried (verify.maxAddressesPerName ${max}): ${listed(v, v.leftOut)}`);
  }
  return parts.map((p) => `; ${p}`).join("");
}

// --- internal ---

// A name with hundreds of addresses must not give a line of hundreds.
const SHOWN = 4;

function listed(v: View, candidates: readonly CandidateEndpoint[]): string {
  const shown = candidates.slice(0, SHOWN).map((c) => v.label(c));
  const more = candidates.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}
