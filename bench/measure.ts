/**
 * Running the built CLI inside a namespace under GNU time (wall clock from here, peak RSS from
 * time's %M), summary statistics, the load of the machine, and checks of what a pass reported.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { inNs, run } from "../test/e2e/lab/exec.js";
import { TOOL_BIN } from "../test/e2e/lab/plan.js";

export interface ToolRun {
  /** From spawning `ip netns exec` to its exit, as seen by this process. */
  readonly wallMs: number;
  /** Peak RSS of the node process (GNU time %M), in KiB. */
  readonly rssKb: number;
  readonly userS: number;
  readonly sysS: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

let counter = 0;

/** `ip netns exec NS /usr/bin/time node ARGV...` with cwd = `dir`; never throws on exit codes. */
export async function timeNode(ns: string, dir: string, argv: readonly string[]): Promise<ToolRun> {
  const timeFile = join(dir, `time.${++counter}.txt`);
  const node = [process.execPath, ...nodeFlags(), ...argv];
  const wrapped = ["/usr/bin/time", "-o", timeFile, "-f", "%e %M %U %S", ...node];
  const started = performance.now();
  const result = await run(inNs(ns, wrapped), { cwd: dir, timeoutMs: 60_000 });
  const wallMs = performance.now() - started;
  if (result.timedOut) throw new Error(`${argv.join(" ")} did not finish within 60 s`);
  // When the command fails, time writes "Command exited with non-zero status N" first.
  const lines = (await readFile(timeFile, "utf8")).trim().split("\n");
  const [, rss, user, sys] = (lines.at(-1) ?? "").split(" ").map(Number);
  if (rss === undefined || user === undefined || sys === undefined || Number.isNaN(rss)) {
    throw new Error(`cannot read ${timeFile}: ${lines.join(" | ")}`);
  }
  return {
    wallMs,
    rssKb: rss,
    userS: user,
    sysS: sys,
    exitCode: result.exitCode,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

/** BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles every timed run. */
function nodeFlags(): string[] {
  return (process.env["BENCH_NODE_ARGS"] ?? "").split(" ").filter((flag) => flag !== "");
}

/** The tool (dist/src/cli/bin.js) with `args`, as root would run it from cron in `ns`. */
export function timeTool(ns: string, dir: string, args: readonly string[]): Promise<ToolRun> {
  return timeNode(ns, dir, [TOOL_BIN, ...args]);
}

export interface Summary {
  readonly median: number;
  readonly max: number;
  readonly min: number;
  readonly samples: readonly number[];
}

export function summary(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { median: Number.NaN, max: Number.NaN, min: Number.NaN, samples: [] };
  const mid = Math.floor(n / 2);
  const median =
    n % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return {
    median: round(median),
    max: round(sorted[n - 1] as number),
    min: round(sorted[0] as number),
    samples: values.map((v) => round(v)),
  };
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The 1-minute load average. */
export async function load1(): Promise<number> {
  const text = await readFile("/proc/loadavg", "utf8");
  return Number(text.split(" ")[0]);
}

/** What one `--dry-run --json` pass reported, to check that the lab is what we think it is. */
export interface PassCheck {
  readonly peers: number;
  readonly distinctProbed: number;
  readonly alive: number;
  readonly dead: number;
  /** Why dead addresses were dead, with counts (should be only "timeout": silent). */
  readonly errors: Readonly<Record<string, number>>;
  readonly actions: Readonly<Record<string, number>>;
}

export function checkPass(json: string): PassCheck {
  const parsed = JSON.parse(json) as {
    outcomes?: {
      probes?: { address: string; alive: boolean; error?: string }[];
      steps?: { decision: { action: string } }[];
    }[];
  };
  const outcomes = parsed.outcomes ?? [];
  const probes = new Map<string, { alive: boolean; error?: string | undefined }>();
  const actions: Record<string, number> = {};
  for (const o of outcomes) {
    for (const p of o.probes ?? []) probes.set(p.address, p);
    const action = o.steps?.at(-1)?.decision.action ?? "none";
    actions[action] = (actions[action] ?? 0) + 1;
  }
  const errors: Record<string, number> = {};
  let alive = 0;
  for (const p of probes.values()) {
    if (p.alive) alive++;
    else errors[p.error ?? "?"] = (errors[p.error ?? "?"] ?? 0) + 1;
  }
  return {
    peers: outcomes.length,
    distinctProbed: probes.size,
    alive,
    dead: probes.size - alive,
    errors,
    actions,
  };
}
