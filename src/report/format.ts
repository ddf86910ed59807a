import { fallbackName, hostPortText } from "../decide/candidates.js";
import type { PeerOutcome, Step } from "../decide/types.js";
import { type Candidate, locationText, type Problem, type Unmanaged } from "../model.js";
import { setEndpointCommand } from "./commands.js";

/** One line of output. `info` is shown with --verbose only; `change` unless --quiet. */
export interface Line {
  readonly level: "error" | "warning" | "change" | "info";
  readonly text: string;
}

/** What a pass found, as far as its report goes. */
export interface PassFindings {
  readonly problems: readonly Problem[];
  readonly unmanaged: readonly Unmanaged[];
  readonly outcomes: readonly PeerOutcome[];
}

/** Everything a pass has to say, in order: problems, then each peer. */
export function formatPass(result: PassFindings): Line[] {
  return [
    ...result.problems.map(formatProblem),
    ...result.unmanaged.map((u) => ({
      level: "info" as const,
      text: `${u.iface} peer ${short(u.publicKey)}: ${u.reason}`,
    })),
    ...result.outcomes.flatMap(formatOutcome),
  ];
}

/** A problem, prefixed by where it is: `FILE:LINE:` and/or `IFACE peer KEY:`. */
export function formatProblem(p: Problem): Line {
  const where = [
    p.at ? `${locationText(p.at)}:` : "",
    p.iface ? `${p.iface}${p.peer ? ` peer ${short(p.peer)}` : ""}:` : "",
  ].filter((s) => s !== "");
  return { level: p.severity, text: [...where, `${p.severity}: ${p.message}`].join(" ") };
}

/** The first 8 characters of a public key: enough to tell peers apart, short enough to read. */
export function short(publicKey: string): string {
  return publicKey.slice(0, 8);
}

// --- internal ---

function formatOutcome(o: PeerOutcome): Line[] {
  const { peer } = o;
  const prefix = `${peer.iface} peer ${short(peer.publicKey)} (${peer.endpoint.host}):`;
  const info = (text: string): Line => ({ level: "info", text: `${prefix} ${text}` });
  const lines: Line[] = [];
  // A wg-quick peer's file is IFACE.conf in configDir; a manager's file is named.
  if (peer.source !== undefined && peer.source !== "wg-quick") {
    lines.push(info(`Read from ${locationText(peer.at)} (${peer.source})`));
  }
  if (o.resolution.ok)
    lines.push(info(`Candidate addresses: ${addresses(o.resolution.candidates)}`));
  // Fallbacks (settings) each get their own line: which one, and what it resolved to.
  for (const [i, f] of (o.fallbacks ?? []).entries()) {
    const name = fallbackName({ number: i + 1, endpoint: hostPortText(f.endpoint) });
    const what = f.resolution.ok
      ? `candidate addresses: ${addresses(f.resolution.candidates)}`
      : f.resolution.error;
    lines.push(info(`${name}: ${what}`));
  }
  for (const p of o.probes) {
    lines.push(
      info(
        p.alive
          ? `${p.address} is reachable (${p.rttMs ?? 0} ms)`
          : `${p.address} is not reachable (${p.error ?? "no answer"})`,
      ),
    );
  }
  lines.push(info(`Existing endpoint is ${o.original ?? "(none)"}`));
  for (const step of o.steps) lines.push(...formatStep(step, peer.iface, peer.publicKey, prefix));
  return lines;
}

function addresses(candidates: readonly Candidate[]): string {
  return candidates.map((c) => c.address).join(", ");
}

function formatStep(step: Step, iface: string, key: string, prefix: string): Line[] {
  const d = step.decision;
  const at = (level: Line["level"], text: string): Line => ({ level, text: `${prefix} ${text}` });
  switch (d.action) {
    case "keep":
      return [at(d.warning ? "warning" : "info", `${d.warning ? "warning: " : ""}${d.reason}`)];
    case "unreachable":
      return [at("error", `error: ${d.reason}; endpoint stays ${d.endpoint ?? "(none)"}`)];
    case "check":
      return [at("info", d.reason), verdictLine(step, d.endpoint, at)];
    case "switch":
    case "restore": {
      const command = setEndpointCommand(iface, key, d.to);
      const lines = [at("info", `Chosen endpoint is ${d.to}: ${d.reason}`)];
      if (step.error) return [...lines, at("error", `error: ${command} failed: ${step.error}`)];
      if (!step.applied)
        return [...lines, at("change", `DRY RUN: would execute ${command} (${d.reason})`)];
      lines.push(at("info", `Executing ${command}`));
      if (d.action === "restore")
        return [...lines, at("error", `error: restored ${d.to}: ${d.reason}`)];
      if (step.verdict?.ok)
        return [
          ...lines,
          at(
            "change",
            `moved ${d.from ?? "(none)"} -> ${d.to}: ${d.reason}; verified: ${step.verdict.how}`,
          ),
        ];
      return [...lines, verdictLine(step, d.to, at)];
    }
  }
}

function verdictLine(
  step: Step,
  endpoint: string,
  at: (level: Line["level"], text: string) => Line,
): Line {
  if (step.verdict?.ok) return at("info", `WireGuard confirms ${endpoint}: ${step.verdict.how}`);
  if (step.verdict?.interrupted) return at("info", `verification of ${endpoint} interrupted`);
  return at(
    "warning",
    `warning: ${endpoint} fails WireGuard verification: ${step.verdict?.how ?? "not checked"}`,
  );
}
