/**
 * What the soak does to a healthy tunnel: bursts of pings through it with idle gaps (from a seeded
 * generator, so a run can be repeated), and a `wg` on the service's PATH that logs every call.
 */
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { inNs } from "../test/e2e/lab/exec.js";
import { run } from "../test/e2e/lab/index.js";

/** Pings of all bursts: sent and answered. */
export interface BurstTally {
  bursts: number;
  sent: number;
  answered: number;
}

/** A burst of 5 to 100 pings 50 ms apart, then 1 to 45 s of nothing; until `until` or stopped. */
export class Bursts {
  readonly tally: BurstTally = { bursts: 0, sent: 0, answered: 0 };
  private running = true;
  private readonly loop: Promise<void>;

  constructor(ns: string, target: string, until: number, seed: number) {
    this.loop = this.send(ns, target, until, mulberry32(seed));
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async send(ns: string, target: string, until: number, random: () => number) {
    // Each round takes at least a second: the loop is bounded by `until` in time and count.
    for (let i = 0; i < 100_000 && this.running && performance.now() < until; i++) {
      const count = 5 + Math.floor(random() * 96);
      const argv = ["ping", "-n", "-q", "-c", String(count), "-i", "0.05", "-W", "1", target];
      const result = await run(inNs(ns, argv), { timeoutMs: 15_000 });
      const m = /(\d+) packets transmitted, (\d+) received/.exec(result.stdout);
      this.tally.bursts++;
      this.tally.sent += Number(m?.[1] ?? count);
      this.tally.answered += Number(m?.[2] ?? 0);
      const gapMs = 1_000 + Math.floor(random() * 44_000);
      const end = Math.min(until, performance.now() + gapMs);
      while (this.running && performance.now() < end)
        await sleep(Math.min(250, end - performance.now()));
    }
  }
}

/** A `wg` first on PATH that appends its subcommand and interface to `log`, then runs the real one. */
export async function loggingWg(dir: string): Promise<{ path: string; log: string }> {
  const real = (await run(["sh", "-c", "command -v wg"])).stdout.trim();
  if (real === "") throw new Error("wg is not on PATH");
  const bin = join(dir, "soak-bin");
  const log = join(dir, "wg-calls.log");
  await mkdir(bin, { recursive: true });
  // Public keys and endpoints only ever reach wg's argv; the log keeps just "$1 $2".
  const script = `#!/bin/sh\nprintf '%s %s\\n' "$1" "$2" >> '${log}'\nexec '${real}' "$@"\n`;
  await writeFile(join(bin, "wg"), script);
  await chmod(join(bin, "wg"), 0o755);
  await writeFile(log, "");
  return { path: `${bin}:${process.env["PATH"] ?? "/usr/bin:/bin"}`, log };
}

/** The calls logged so far, by subcommand (`show`, `set`, ...). */
export async function wgCalls(log: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const line of (await readFile(log, "utf8")).split("\n")) {
    const sub = line.split(" ")[0];
    if (sub) counts[sub] = (counts[sub] ?? 0) + 1;
  }
  return counts;
}

// --- internal ---

/** A small seeded generator (mulberry32): the same seed, the same bursts and gaps. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
