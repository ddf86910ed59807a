import { UsageError } from "../common/usage-error.js";
import type { PeerOutcome } from "../decide/types.js";
import type { Problem } from "../model.js";
import { SettingsError } from "../settings/validate.js";
import { StateError } from "../state/errors.js";

/** Documented exit codes (README "Exit status"); the most serious trouble wins. */
export const EXIT = {
  ok: 0,
  /** A managed peer has no reachable address (or `wg set` failed). */
  unreachable: 1,
  /** Bad command line or settings. */
  usage: 2,
  /** A config file (or a peer in one) is malformed and was skipped. */
  config: 3,
  /** The tool cannot work here: no configs, no `wg`, no permission, state folder unusable. */
  environment: 4,
  /** A bug: please report it with the message. */
  internal: 70,
} as const;

/** The exit code for the problems and peer troubles of a pass. */
export function exitCodeFor(problems: readonly Problem[], unreachablePeers: number): number {
  const errors = problems.filter((p) => p.severity === "error");
  if (errors.some((p) => p.kind === "environment")) return EXIT.environment;
  if (errors.some((p) => p.kind === "config")) return EXIT.config;
  if (unreachablePeers > 0 || errors.length > 0) return EXIT.unreachable;
  return EXIT.ok;
}

/** Whether a peer ended without a working endpoint: unreachable, restored, or `wg set` failed. */
export function peerFailed(outcome: PeerOutcome): boolean {
  const last = outcome.steps.at(-1);
  if (last === undefined) return false;
  if (last.error !== undefined) return true;
  const { action } = last.decision;
  return (
    action === "unreachable" ||
    action === "restore" ||
    (action === "switch" && last.verdict?.ok === false)
  );
}

/** The one error boundary's rule: the exit code and the sentence for an error that ended a command. */
export function failure(error: unknown): { exitCode: number; message: string } {
  if (error instanceof UsageError || error instanceof SettingsError)
    return { exitCode: EXIT.usage, message: error.message };
  if (error instanceof StateError) return { exitCode: error.exitCode, message: error.message };
  const { code, path } = error as NodeJS.ErrnoException;
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    const where = path ? ` on ${path}` : "";
    const message = `permission denied${where}: run as root, or set stateDir to a writable folder`;
    return { exitCode: EXIT.environment, message };
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { exitCode: EXIT.internal, message: `internal error: ${text}` };
}
