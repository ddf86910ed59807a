/**
 * What the watch benchmark and the soak share: one silent IPv6 break measured under a ping every
 * 0.2 s, the service's memory and open files from /proc, and plain tables.
 */
import { readdir, readFile, readlink, realpath } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { inNs } from "../test/e2e/lab/exec.js";
import { type Lab, run } from "../test/e2e/lab/index.js";
import type { WatchProcess } from "../test/e2e/support/watch.js";
import { round } from "./measure.js";

/** A run that has not recovered after this long counts as not recovered. */
export const GIVE_UP_MS = 20_000;

/** An integer from the environment, 1 to `max`; `fallback` when unset. */
export function envInt(name: string, fallback: number, max: number): number {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name}: 1 to ${max}`);
  return n;
}

/** `ip netns exec` execs node, so the spawned PID is the service's own node process. */
export async function checkPid(pid: number): Promise<void> {
  const exe = await readlink(`/proc/${pid}/exe`);
  const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0");
  if (exe !== (await realpath(process.execPath)) || !cmdline.includes("watch"))
    throw new Error(`PID ${pid} is not the service: ${exe} ${cmdline.join(" ")}`);
}

/** Seconds from a silent IPv6 break to each sign of repair. */
export interface Recovery {
  /** Fault -> first answer to a ping sent after the fault. */
  readonly trafficMs: number;
  /** Fault -> the live endpoint is no longer the IPv6 one. */
  readonly endpointMs: number | undefined;
  /** Fault -> the service logged the move (after verifying it). */
  readonly reportedMs: number | undefined;
}

/** One ping through the tunnel every 0.2 s, each waiting up to 2 s for its answer. */
export class PingLoop {
  private readonly pings: { sent: number; answered?: number }[] = [];
  private readonly pending = new Set<Promise<void>>();
  private running = true;
  private readonly loop: Promise<void>;

  constructor(ns: string, target: string) {
    this.loop = this.send(ns, target);
  }

  /** When the first ping sent at or after `since` was answered (waits up to `timeoutMs`). */
  async firstAnswer(since: number, timeoutMs: number): Promise<number | undefined> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      // A ping still waiting can only be answered later than one answered already.
      const times = this.pings.filter((p) => p.sent >= since).flatMap((p) => p.answered ?? []);
      if (times.length > 0) return Math.min(...times);
      await sleep(50);
    }
    return undefined;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.all(this.pending);
  }

  private async send(ns: string, target: string): Promise<void> {
    // At most 60 s of pings, whatever happens to the caller.
    for (let i = 0; i < 300 && this.running; i++) {
      const ping: { sent: number; answered?: number } = { sent: performance.now() };
      this.pings.push(ping);
      const argv = inNs(ns, ["ping", "-n", "-c", "1", "-W", "2", target]);
      const done = run(argv, { timeoutMs: 5_000 }).then((r) => {
        if (r.exitCode === 0) ping.answered = performance.now();
      });
      this.pending.add(done);
      void done.finally(() => this.pending.delete(done));
      await sleep(Math.max(0, 200 - (performance.now() - ping.sent)));
    }
  }
}

/** One silent IPv6 break under a 5/s ping; undefined when not recovered within 20 s. */
export async function measureRecovery(
  lab: Lab,
  watch: WatchProcess,
): Promise<Recovery | undefined> {
  const before = await lab.liveEndpoint(0);
  if (before?.startsWith("[") !== true) throw new Error(`not on IPv6 to begin with: ${before}`);
  const pings = new PingLoop(lab.clientNamespace, lab.server(0).tunnelAddress);
  try {
    const start = performance.now();
    if ((await pings.firstAnswer(start, 2_000)) === undefined)
      throw new Error("the tunnel does not carry pings before the fault");
    await sleep(1_000); // traffic flowing, as on a host in use
    const from = watch.log.length;
    const fault = performance.now();
    await lab.breakIpv6Silently();
    const inForce = performance.now();
    const reported = watch
      .waitForLog(/ moved .* -> /, GIVE_UP_MS, from)
      .then((moved) => (moved ? performance.now() - fault : undefined));
    const changed = endpointChange(lab, before, GIVE_UP_MS).then((at) =>
      at === undefined ? undefined : at - fault,
    );
    const answered = await pings.firstAnswer(inForce, GIVE_UP_MS);
    if (answered === undefined) return undefined;
    return {
      trafficMs: answered - fault,
      endpointMs: await changed,
      reportedMs: await reported,
    };
  } finally {
    await pings.stop();
  }
}

/** CPU time and memory of a process, from /proc. */
export interface ProcSample {
  readonly cpuTicks: number;
  readonly rssKb: number;
  readonly hwmKb: number;
  /** RSS in anonymous memory (the heaps) and in mapped files (code pages touched so far). */
  readonly anonKb: number;
  readonly fileKb: number;
}

/** Reads /proc/PID/stat and status. */
export async function sample(pid: number): Promise<ProcSample> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the command name.
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
  return {
    cpuTicks,
    rssKb: kb("VmRSS"),
    hwmKb: kb("VmHWM"),
    anonKb: kb("RssAnon"),
    fileKb: kb("RssFile"),
  };
}

/** Open files, inotify watches and RSS of a process. */
export interface Handles {
  readonly fds: number;
  readonly inotifyWatches: number;
  readonly rssMb: number;
}

/** Counts /proc/PID/fd and the inotify watches in fdinfo. */
export async function handles(pid: number): Promise<Handles> {
  const fds = await readdir(`/proc/${pid}/fd`);
  let inotifyWatches = 0;
  for (const fd of fds) {
    const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, "utf8").catch(() => "");
    inotifyWatches += info.split("\n").filter((l) => l.startsWith("inotify wd:")).length;
  }
  return { fds: fds.length, inotifyWatches, rssMb: round((await sample(pid)).rssKb / 1024) };
}

/** Rows as a plain table, the first row its header. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ");
  const [header, ...body] = rows;
  return [line(header ?? []), widths.map((w) => "-".repeat(w)).join("-|-"), ...body.map(line)]
    .map((l) => `  ${l.trimEnd()}`)
    .join("\n");
}

/** A benchmark's target: what it is, its limit, what was measured, and whether it was met. */
export type Target = readonly [name: string, limit: string, measured: string, met: boolean];

/** The targets as a table, each marked met or MISSED. */
export function targetsTable(targets: readonly Target[]): string {
  return table([
    ["target", "limit", "measured", ""],
    ...targets.map(([name, limit, measured, met]) => [
      name,
      limit,
      measured,
      met ? "met" : "MISSED",
    ]),
  ]);
}

/** The targets as BENCH_JSON carries them. */
export function targetsJson(targets: readonly Target[]): object[] {
  return targets.map(([name, limit, measured, met]) => ({ name, limit, measured, met }));
}

/** Milliseconds as seconds with two decimals, "-" for none. */
export const seconds = (ms: number | undefined) =>
  ms === undefined ? "-" : (ms / 1000).toFixed(2);

// --- internal ---

/** When peer 0's live endpoint stopped being `from` (read every 0.1 s), or undefined. */
async function endpointChange(
  lab: Lab,
  from: string,
  timeoutMs: number,
): Promise<number | undefined> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if ((await lab.liveEndpoint(0)) !== from) return performance.now();
    await sleep(100);
  }
  return undefined;
}
