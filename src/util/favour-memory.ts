import { createRequire } from "node:module";

/** Set on globalThis once favourMemory ran; read by the command (cli/bin.ts) at exit. */
const CHANGED = Symbol.for("wg-endpoint-manager.v8-flags-changed");

/** Who runs lean: the long-running service, or one pass over a large fleet. */
export type LeanRun = "service" | "large pass";

/**
 * Tells V8 to favour a small process over speed, for the rest of the process.
 * NOTE(perf): the flags, each measured (README "Performance" has the figures):
 * - `--no-opt`: V8's optimizing compiler was the largest part of what an idle service's RSS
 *   grows by once it ran (its machine code, paged in from the node binary, and its working
 *   memory); the passes are I/O-bound, and a 2,000-peer pass even took less CPU without it;
 * - `--semi-space-growth-factor=1`: the young generation stops doubling; a pass over a large
 *   fleet allocates far more than it keeps (files, DNS answers, probe records, report lines);
 * - the service only: `--no-sparkplug` (the baseline compiler's code is paged in too) and
 *   `--optimize-for-size`. A large pass keeps them off: they cost it more time (the baseline
 *   code's speed, more collections) than its target allows.
 * V8 reads each flag when it decides, so setting them at run time takes effect. A small cron
 * pass neither pays nor loads node:v8.
 */
export function favourMemory(run: LeanRun): void {
  const v8 = createRequire(import.meta.url)("node:v8") as typeof import("node:v8");
  v8.setFlagsFromString("--no-opt");
  v8.setFlagsFromString("--semi-space-growth-factor=1");
  if (run === "service") {
    v8.setFlagsFromString("--no-sparkplug");
    v8.setFlagsFromString("--optimize-for-size");
  }
  (globalThis as Record<symbol, unknown>)[CHANGED] = true;
}

/**
 * Whether favourMemory ran. V8 takes its flags into its code cache's check, so code compiled
 * with them would be rejected by every run without them (cli/code-cache.ts).
 */
export function v8FlagsChanged(): boolean {
  return (globalThis as Record<symbol, unknown>)[CHANGED] === true;
}
