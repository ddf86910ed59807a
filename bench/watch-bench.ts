/**
 * `npm run bench:watch` (issue 4): how fast `wg-endpoint-manager watch` repairs a tunnel whose
 * IPv6 path breaks silently, and what the idle service costs. Needs root; every run builds an
 * e2e lab (two network namespaces, real WireGuard and DNS) and removes it, also on SIGINT/SIGTERM.
 *
 * 1. Recovery, WATCH_BENCH_RUNS times (default 5): a tunnel over IPv6 with a ping through it every
 *    0.2 s; the peer starts discarding the client's IPv6 packets; time from the fault to the first
 *    ping answered again (and to the service's "moved" line).
 * 2. Idle, WATCH_BENCH_IDLE_SECONDS (default 120): CPU time and memory of the service on a healthy
 *    tunnel, sampled every 5 s from /proc.
 * 3. Reloads: 20 SIGHUPs 1 s apart; open files, inotify watches and RSS before and after.
 */
import { readdir, readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { inNs } from "../test/e2e/lab/exec.js";
import { createLab, type Lab, labSkipReason, run } from "../test/e2e/lab/index.js";
import { launchWatch, type WatchProcess } from "../test/e2e/support/watch.js";
import { round, type Summary, summary } from "./measure.js";

const log = (text: string) => process.stderr.write(`${text}\n`);
/** Fast verification, as in the e2e tests: the lab answers at once. */
const TOOL_CONFIG = { verify: { timeoutMs: 4_000 } };

function envInt(name: string, fallback: number, max: number): number {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name}: 1 to ${max}`);
  return n;
}

/** Everything to undo on exit: labs and services still running. */
const cleanups = new Set<() => Promise<void>>();

async function withLab<T>(use: (lab: Lab, watch: WatchProcess) => Promise<T>): Promise<T> {
  const lab = await createLab({ toolConfig: TOOL_CONFIG });
  const destroy = () => lab.destroy();
  cleanups.add(destroy);
  try {
    const watch = await launchWatch(lab);
    const stop = () => watch.kill();
    cleanups.add(stop);
    try {
      return await use(lab, watch);
    } finally {
      await stop();
      cleanups.delete(stop);
    }
  } finally {
    await destroy();
    cleanups.delete(destroy);
  }
}

interface Recovery {
  readonly trafficMs: number;
  readonly movedMs: number | undefined;
}

/** One silent IPv6 break under a 5/s ping; undefined when not recovered within 20 s. */
async function recoveryRun(): Promise<Recovery | undefined> {
  return withLab(async (lab, watch) => {
    const target = lab.server(0).tunnelAddress;
    const from = watch.log.length;
    await lab.breakIpv6Silently();
    const broke = performance.now();
    let movedMs: number | undefined;
    void watch.waitForLog(/ moved .* -> /, 20_000, from).then((moved) => {
      if (moved) movedMs = performance.now() - broke;
    });
    // One ping every 0.2 s, each waiting up to 2 s for its answer: the first one answered is
    // when traffic flows again. At most 100 pings (20 s).
    const answered: Promise<number | undefined>[] = [];
    for (let i = 0; i < 100; i++) {
      const sent = performance.now();
      answered.push(
        run(inNs(lab.clientNamespace, ["ping", "-n", "-c", "1", "-W", "2", target]), {
          timeoutMs: 5_000,
        }).then((r) => (r.exitCode === 0 ? performance.now() - broke : undefined)),
      );
      await sleep(Math.max(0, 200 - (performance.now() - sent)));
      const first = await firstAnswer(answered);
      if (first !== undefined) {
        await Promise.all(answered);
        await sleep(200);
        return { trafficMs: first, movedMs };
      }
    }
    await Promise.all(answered);
    return undefined;
  });
}

/** The earliest answer among settled pings, if any answered yet (never waits for pending ones). */
async function firstAnswer(
  pings: readonly Promise<number | undefined>[],
): Promise<number | undefined> {
  const settled = await Promise.all(
    pings.map((p) => Promise.race([p, Promise.resolve("pending" as const)])),
  );
  const times = settled.filter((v): v is number => typeof v === "number");
  return times.length > 0 ? Math.min(...times) : undefined;
}

interface ProcSample {
  readonly cpuTicks: number;
  readonly rssKb: number;
  readonly hwmKb: number;
}

async function sample(pid: number): Promise<ProcSample> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the command name.
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
  return { cpuTicks, rssKb: kb("VmRSS"), hwmKb: kb("VmHWM") };
}

/** The service's own PID is node's: `ip netns exec` execs it. */
async function checkPid(pid: number): Promise<void> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8");
  if (!cmdline.includes("watch")) throw new Error(`PID ${pid} is not the service: ${cmdline}`);
}

interface Idle {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly cpuPercent: number;
  readonly rssMb: Summary;
  readonly peakRssMb: number;
}

/** CLK_TCK on Linux (getconf CLK_TCK); /proc times are in these ticks. */
const TICKS_PER_SECOND = 100;

async function idleRun(seconds: number): Promise<Idle> {
  return withLab(async (_lab, watch) => {
    await checkPid(watch.pid);
    await sleep(2_000); // let the first pass's garbage settle
    const first = await sample(watch.pid);
    const started = performance.now();
    const rss: number[] = [first.rssKb / 1024];
    let last = first;
    for (let i = 0; i < Math.ceil(seconds / 5); i++) {
      await sleep(5_000);
      last = await sample(watch.pid);
      rss.push(last.rssKb / 1024);
    }
    const wall = (performance.now() - started) / 1000;
    const cpuSeconds = (last.cpuTicks - first.cpuTicks) / TICKS_PER_SECOND;
    return {
      seconds: Math.round(wall),
      cpuSeconds,
      cpuPercent: round((100 * cpuSeconds) / wall, 2),
      rssMb: summary(rss),
      peakRssMb: round(last.hwmKb / 1024),
    };
  });
}

interface Handles {
  readonly fds: number;
  readonly inotifyWatches: number;
  readonly rssMb: number;
}

async function handles(pid: number): Promise<Handles> {
  const fds = await readdir(`/proc/${pid}/fd`);
  let inotifyWatches = 0;
  for (const fd of fds) {
    const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, "utf8").catch(() => "");
    inotifyWatches += info.split("\n").filter((l) => l.startsWith("inotify wd:")).length;
  }
  return { fds: fds.length, inotifyWatches, rssMb: round((await sample(pid)).rssKb / 1024) };
}

async function reloadRun(count: number): Promise<{ before: Handles; after: Handles }> {
  return withLab(async (_lab, watch) => {
    await checkPid(watch.pid);
    await sleep(1_000);
    const before = await handles(watch.pid);
    for (let i = 0; i < count; i++) {
      watch.signal("SIGHUP");
      await sleep(1_000);
    }
    const reloaded = (watch.log.match(/settings reloaded/g) ?? []).length;
    if (reloaded !== count) throw new Error(`${reloaded} of ${count} reloads logged`);
    await sleep(2_000);
    return { before, after: await handles(watch.pid) };
  });
}

async function main(): Promise<number> {
  const skip = await labSkipReason();
  if (skip !== undefined) {
    log(`watch-bench: ${skip}`);
    return 1;
  }
  const runs = envInt("WATCH_BENCH_RUNS", 5, 20);
  const idleSeconds = envInt("WATCH_BENCH_IDLE_SECONDS", 120, 900);
  const interrupted = (signal: NodeJS.Signals) => {
    log(`watch-bench: ${signal}, cleaning up ...`);
    void Promise.allSettled([...cleanups].map((c) => c())).finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  const recoveries: (Recovery | undefined)[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await recoveryRun();
    log(
      `recovery ${i + 1}/${runs}: ${r ? `${Math.round(r.trafficMs)} ms` : "NOT RECOVERED in 20 s"}`,
    );
    recoveries.push(r);
  }
  log(`idle for ${idleSeconds} s ...`);
  const idle = await idleRun(idleSeconds);
  log("20 reloads ...");
  const reload = await reloadRun(20);

  const ok = recoveries.filter((r): r is Recovery => r !== undefined);
  const traffic = summary(ok.map((r) => r.trafficMs / 1000));
  const moved = summary(ok.flatMap((r) => (r.movedMs === undefined ? [] : [r.movedMs / 1000])));
  const targets = [
    {
      name: "recovery, median of runs",
      limit: "<= 5 s",
      met: ok.length === runs && traffic.median <= 5,
    },
    {
      name: "recovery, slowest run",
      limit: "<= 10 s",
      met: ok.length === runs && traffic.max <= 10,
    },
    { name: "idle RSS", limit: "< 60 MB", met: idle.peakRssMb < 60 },
    { name: "idle CPU", limit: "< 1% of a core", met: idle.cpuPercent < 1 },
    {
      name: "20 reloads leak no files or watches",
      limit: "same count",
      met:
        reload.after.fds === reload.before.fds &&
        reload.after.inotifyWatches === reload.before.inotifyWatches,
    },
  ];
  const out = [
    "",
    `wg-endpoint-manager watch benchmark (node ${process.version})`,
    "",
    `IPv6 breaks silently under a ping every 0.2 s, ${runs} runs (${ok.length} recovered):`,
    `  traffic flows again after  median ${traffic.median} s, min ${traffic.min} s, max ${traffic.max} s  (${traffic.samples.join(", ")})`,
    `  endpoint moved after       median ${moved.median} s, min ${moved.min} s, max ${moved.max} s`,
    "",
    `Idle on a healthy tunnel for ${idle.seconds} s (counters read every 0.5 s):`,
    `  CPU ${idle.cpuSeconds.toFixed(2)} s = ${idle.cpuPercent}% of one core; RSS ${idle.rssMb.min}-${idle.rssMb.max} MB (median ${idle.rssMb.median}), peak ${idle.peakRssMb} MB`,
    "",
    "20 SIGHUP reloads, 1 s apart:",
    `  open files ${reload.before.fds} -> ${reload.after.fds}, inotify watches ${reload.before.inotifyWatches} -> ${reload.after.inotifyWatches}, RSS ${reload.before.rssMb} -> ${reload.after.rssMb} MB`,
    "",
    "Targets:",
    ...targets.map((t) => `  ${(t.met ? "met" : "MISSED").padEnd(7)} ${t.name} (${t.limit})`),
    "",
    `BENCH_JSON ${JSON.stringify({ recoverySeconds: traffic, movedSeconds: moved, runs, recovered: ok.length, idle, reload, targets })}`,
    "",
  ];
  process.stdout.write(out.join("\n"));
  return targets.every((t) => t.met) ? 0 : 3;
}

process.exitCode = await main();
