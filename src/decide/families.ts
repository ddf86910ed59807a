import type { Candidate } from "../model.js";

/**
 * Why none of a name's addresses can be used from this host. Only called when no candidate's
 * family is usable, so the host lacks exactly the families the candidates have: name those
 * (a name with only A records on a host with no address at all lacks IPv4, not IPv6).
 */
export function missingFamilies(candidates: readonly Candidate[]): string {
  const families = new Set(candidates.map((c) => c.family));
  const names = ([4, 6] as const).filter((f) => families.has(f)).map((f) => `IPv${f}`);
  return `this host has no ${names.join(" or ")} address`;
}
