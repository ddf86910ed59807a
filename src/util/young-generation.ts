import { createRequire } from "node:module";

let kept = false;

/**
 * Keeps V8's young generation at the size it has now, for the rest of the process.
 * NOTE(perf): a big pass keeps its data (probes, DNS answers, peers) for about a second, so V8
 * doubles the young generation again and again while little of it is live, and the pass's
 * peak RSS grows with it (README "Performance" has the figures). The flag is read by V8 each
 * time it would grow the space (Heap::ExpandNewSpaceSize), so setting it at run time takes
 * effect. node:v8 is loaded only here, so a small pass does not pay for it.
 */
export function keepYoungGenerationSmall(): void {
  if (kept) return;
  kept = true;
  const v8 = createRequire(import.meta.url)("node:v8") as typeof import("node:v8");
  v8.setFlagsFromString("--semi-space-growth-factor=1");
}
