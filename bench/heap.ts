/**
 * The soak's leak check (WATCH_SOAK_HEAP=1): the service runs with --heapsnapshot-signal, and a
 * snapshot (which runs a full garbage collection first) gives its live heap, free of the
 * sawtooth that RSS samples show between collections.
 */
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { WatchProcess } from "../test/e2e/support/watch.js";
import { round } from "./measure.js";

/** The service's NODE_OPTIONS for it. */
export const HEAP_NODE_OPTIONS = "--heapsnapshot-signal=SIGUSR2";

/** Live heap after a full collection, MB; the snapshot file is removed again. */
export async function liveHeapMb(watch: WatchProcess, dir: string): Promise<number> {
  const before = new Set(await snapshots(dir));
  watch.signal("SIGUSR2");
  // Bounded: a snapshot of a small heap takes a second or two.
  for (let i = 0; i < 120; i++) {
    await sleep(500);
    const file = (await snapshots(dir)).find((f) => !before.has(f));
    if (file === undefined) continue;
    const path = join(dir, file);
    const size = (await stat(path)).size;
    await sleep(500);
    if ((await stat(path)).size !== size) continue;
    let parsed: Snapshot;
    try {
      parsed = JSON.parse(await readFile(path, "utf8")) as Snapshot;
    } catch {
      continue; // still being written
    }
    await rm(path, { force: true });
    return round(selfSizes(parsed) / 1024 / 1024);
  }
  throw new Error("the service wrote no heap snapshot within 60 s");
}

// --- internal ---

async function snapshots(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith(".heapsnapshot"));
}

interface Snapshot {
  readonly snapshot: { readonly meta: { readonly node_fields: readonly string[] } };
  readonly nodes: readonly number[];
}

function selfSizes(s: Snapshot): number {
  const fields = s.snapshot.meta.node_fields;
  const at = fields.indexOf("self_size");
  let total = 0;
  for (let i = at; i < s.nodes.length; i += fields.length) total += s.nodes[i] ?? 0;
  return total;
}
