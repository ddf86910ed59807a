import { createRequire } from "node:module";

/**
 * Tells V8 to favour a small heap over speed, for the rest of the process.
 * NOTE(perf): a pass over a large fleet allocates far more than it keeps (files, DNS answers,
 * probe records, report lines), and V8's default heap growth lets that garbage pile up into
 * the peak RSS; `--optimize-for-size` is read by V8 each time it sizes the old generation, so
 * setting it at run time takes effect, and the young generation stops doubling too (README
 * "Performance" has the figures and the CPU it costs). Only the large-pool commands call it
 * (`watch`, a pass over many names), so a small cron pass neither pays the CPU nor loads
 * node:v8.
 */
export function favourMemory(): void {
  const v8 = createRequire(import.meta.url)("node:v8") as typeof import("node:v8");
  v8.setFlagsFromString("--optimize-for-size");
  v8.setFlagsFromString("--semi-space-growth-factor=1");
}
