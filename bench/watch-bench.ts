/**
 * `npm run bench:watch`: how fast `wg-endpoint-manager watch` repairs a tunnel whose
 * IPv6 path breaks silently, and what the idle service costs. Needs root; every run builds an
 * e2e lab (two network namespaces, real WireGuard and DNS) and removes it, also on SIGINT/SIGTERM.
 * Only lab addresses are pinged, from inside the lab's client namespace.
 *
 * 1. Recovery, WATCH_BENCH_RUNS times (default 5, at most 20): a tunnel over IPv6 with a ping
 *    through it every 0.2 s; the peer starts discarding the client's IPv6 packets; time from the
 *    fault to the first answer to a ping sent after it, to the live endpoint's change (`wg show`,
 *    read every 0.1 s) and to the service's "moved" line.
 * 2. Idle, WATCH_BENCH_IDLE_SECONDS (default 120, at most 900): CPU time and memory of the service
 *    on a healthy tunnel, sampled every 5 s from /proc.
 * 3. Reloads: 20 SIGHUPs 1 s apart; open files, inotify watches and RSS before and after.
 * 4. TTL follow, WATCH_BENCH_TTL_RUNS times (default 5, at most 20): an idle tunnel, a 5 s TTL,
 *    the peer moves and DNS follows; time to the new live endpoint (ttl-follow.ts).
 * 5. Idle repair, WATCH_BENCH_IDLE_RUNS times (default 3, at most 20): an idle tunnel
 *    (keepalives only) whose IPv6 breaks silently; time to the IPv4 endpoint (idle-repair.ts).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { createLab, type Lab, type LabOptions, labSkipReason, run } from "../test/e2e/lab/index.js";
import { launchWatch, type WatchProcess } from "../test/e2e/support/watch.js";
import { IDLE_LAB, idleRepairRun } from "./idle-repair.js";
import { round, type Summary, summary } from "./measure.js";
import { TTL_LAB, ttlFollowRun } from "./ttl-follow.js";
import {
  checkPid,
  envInt,
  GIVE_UP_MS,
  type Handles,
  handles,
  measureRecovery,
  type Recovery,
  sample,
  seconds,
  type Target,
  table,
  targetsJson,
  targetsTable,
} from "./watch-support.js";

const log = (text: string) => process.stderr.write(`${text}\n`);
/** Fast verification, as in the e2e tests: the lab answers at once. */
const TOOL_CONFIG = { verify: { timeoutMs: 4_000 } };
const RELOADS = 20;

/** Everything to undo on exit: labs and services still running. */
const cleanups = new Set<() => Promise<void>>();
let interrupted = false;

async function withLab<T>(
  use: (lab: Lab, watch: WatchProcess) => Promise<T>,
  options: LabOptions = { toolConfig: TOOL_CONFIG },
): Promise<T> {
  const lab = await createLab(options);
  const destroy = () => lab.destroy();
  cleanups.add(destroy);
  try {
    if (interrupted) throw new Error("interrupted");
    const watch = await launchWatch(lab);
    const stop = () => watch.kill();
    cleanups.add(stop);
    try {
      await checkPid(watch.pid);
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

/** One silent IPv6 break under a 5/s ping; undefined when not recovered within 20 s. */
function recoveryRun(): Promise<Recovery | undefined> {
  return withLab(measureRecovery);
}

// --- 2. idle ---

/** CLK_TCK: /proc times are in these ticks. */
async function ticksPerSecond(): Promise<number> {
  const result = await run(["getconf", "CLK_TCK"]);
  const n = Number(result.stdout.trim());
  return result.exitCode === 0 && n > 0 ? n : 100;
}

interface Idle {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly cpuPercent: number;
  readonly rssStartMb: number;
  readonly rssEndMb: number;
  readonly rssMb: Summary;
  /** VmHWM (the highest RSS since start, first pass included) or the highest sample. */
  readonly peakRssMb: number;
}

async function idleRun(seconds: number): Promise<Idle> {
  const ticks = await ticksPerSecond();
  return withLab(async (lab, watch) => {
    if (!(await lab.tunnelWorks(0))) throw new Error("the tunnel is not healthy");
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
    const cpuSeconds = (last.cpuTicks - first.cpuTicks) / ticks;
    return {
      seconds: Math.round(wall),
      cpuSeconds,
      cpuPercent: round((100 * cpuSeconds) / wall, 2),
      rssStartMb: round(first.rssKb / 1024),
      rssEndMb: round(last.rssKb / 1024),
      rssMb: summary(rss),
      // NOTE: the kernel's RSS counters are cached per thread, so VmHWM can lag a sample by a few MB.
      peakRssMb: round(Math.max(last.hwmKb / 1024, ...rss)),
    };
  });
}

// --- 3. reloads ---

async function reloadRun(count: number): Promise<{ before: Handles; after: Handles }> {
  return withLab(async (_lab, watch) => {
    await sleep(1_000);
    const before = await handles(watch.pid);
    for (let i = 0; i < count; i++) {
      watch.signal("SIGHUP");
      await sleep(1_000);
    }
    const reloaded = (watch.log.match(/settings reloaded/g) ?? []).length;
    if (reloaded !== count) throw new Error(`${reloaded} of ${count} reloads logged`);
    await sleep(2_000); // the pass each reload asks for, and the old sockets closed after it
    return { before, after: await handles(watch.pid) };
  });
}

// --- report ---

const range = (s: Summary) =>
  `median ${seconds(s.median)} s, min ${seconds(s.min)} s, max ${seconds(s.max)} s`;

async function main(): Promise<number> {
  const skip = await labSkipReason();
  if (skip !== undefined) {
    log(`watch-bench: ${skip}`);
    return 1;
  }
  const runs = envInt("WATCH_BENCH_RUNS", 5, 20);
  const idleSeconds = envInt("WATCH_BENCH_IDLE_SECONDS", 120, 900);
  // NOTE: `on`, not `once`: execa's signal-exit re-raises a signal that no other listener
  // handles any more, which would kill this process before the labs are gone.
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`watch-bench: ${signal}, cleaning up ...`);
    void Promise.allSettled([...cleanups].map((c) => c())).finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const recoveries: (Recovery | undefined)[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await recoveryRun();
    log(`recovery ${i + 1}/${runs}: ${r ? `${seconds(r.trafficMs)} s` : "NOT RECOVERED in 20 s"}`);
    recoveries.push(r);
  }
  log(`idle for ${idleSeconds} s ...`);
  const idle = await idleRun(idleSeconds);
  log(`${RELOADS} reloads ...`);
  const reload = await reloadRun(RELOADS);
  const ttlRuns = envInt("WATCH_BENCH_TTL_RUNS", 5, 20);
  const follows: (number | undefined)[] = [];
  for (let i = 0; i < ttlRuns; i++) {
    const ms = await withLab((lab, watch) => ttlFollowRun(lab, watch, GIVE_UP_MS), TTL_LAB);
    log(
      `TTL follow ${i + 1}/${ttlRuns}: ${ms === undefined ? "NOT FOLLOWED in 20 s" : `${seconds(ms)} s`}`,
    );
    follows.push(ms);
  }
  const followed = summary(follows.flatMap((ms) => ms ?? []));
  const idleRuns = envInt("WATCH_BENCH_IDLE_RUNS", 3, 20);
  const repairs: (number | undefined)[] = [];
  for (let i = 0; i < idleRuns; i++) {
    const ms = await withLab((lab, watch) => idleRepairRun(lab, watch, GIVE_UP_MS), IDLE_LAB);
    log(
      `idle repair ${i + 1}/${idleRuns}: ${ms === undefined ? "NOT REPAIRED in 20 s" : `${seconds(ms)} s`}`,
    );
    repairs.push(ms);
  }
  const repaired = summary(repairs.flatMap((ms) => ms ?? []));

  const ok = recoveries.filter((r): r is Recovery => r !== undefined);
  // Summaries in ms (measure.ts rounds to 0.1), printed in seconds.
  const traffic = summary(ok.map((r) => r.trafficMs));
  const changed = summary(ok.flatMap((r) => r.endpointMs ?? []));
  const reported = summary(ok.flatMap((r) => r.reportedMs ?? []));
  const targets: Target[] = [
    [
      "recovery, median of runs",
      "<= 1.5 s",
      `${seconds(traffic.median)} s`,
      ok.length === runs && traffic.median <= 1_500,
    ],
    [
      "recovery, slowest run",
      "<= 10 s",
      `${seconds(traffic.max)} s`,
      ok.length === runs && traffic.max <= 10_000,
    ],
    ["idle RSS (peak)", "<= 50 MB", `${idle.peakRssMb} MB`, idle.peakRssMb <= 50],
    ["idle CPU", "< 1% of a core", `${idle.cpuPercent}%`, idle.cpuPercent < 1],
    [
      `${RELOADS} reloads leak no files or watches`,
      "same count",
      `${reload.before.fds} -> ${reload.after.fds} fds`,
      reload.after.fds === reload.before.fds &&
        reload.after.inotifyWatches === reload.before.inotifyWatches,
    ],
    [
      "idle tunnel repair (keepalives only, one echo per endpoint every 3 s), median",
      "<= 10 s",
      `${seconds(repaired.median)} s`,
      repairs.every((ms) => ms !== undefined) && repaired.median <= 10_000,
    ],
    [
      "TTL follow (5 s TTL), slowest run",
      "<= 10 s",
      `${seconds(followed.max)} s`,
      follows.every((ms) => ms !== undefined) && followed.max <= 10_000,
    ],
  ] as const;
  const out = [
    "",
    `wg-endpoint-manager watch benchmark (node ${process.version})`,
    "",
    `1. IPv6 breaks silently under a ping every 0.2 s: ${runs} runs, ${ok.length} recovered (seconds from the fault)`,
    table([
      ["run", "traffic flows again", "live endpoint changed", "move logged"],
      ...recoveries.map((r, i) => [
        String(i + 1),
        r ? seconds(r.trafficMs) : "NOT RECOVERED",
        seconds(r?.endpointMs),
        seconds(r?.reportedMs),
      ]),
    ]),
    `  traffic flows again:   ${range(traffic)}`,
    `  live endpoint changed: ${range(changed)}`,
    `  move logged:           ${range(reported)}`,
    "",
    `2. Idle on a healthy tunnel for ${idle.seconds} s (counters read every 0.5 s, a full pass every 60 s):`,
    `  CPU ${idle.cpuSeconds.toFixed(2)} s = ${idle.cpuPercent}% of one core`,
    `  RSS start ${idle.rssStartMb} MB, end ${idle.rssEndMb} MB, sampled ${idle.rssMb.min}-${idle.rssMb.max} MB (median ${idle.rssMb.median}), peak (VmHWM) ${idle.peakRssMb} MB`,
    "",
    `3. ${RELOADS} SIGHUP reloads, 1 s apart:`,
    table([
      ["", "open files", "inotify watches", "RSS MB"],
      [
        "before",
        String(reload.before.fds),
        String(reload.before.inotifyWatches),
        String(reload.before.rssMb),
      ],
      [
        "after",
        String(reload.after.fds),
        String(reload.after.inotifyWatches),
        String(reload.after.rssMb),
      ],
    ]),
    "",
    `4. An idle tunnel, a 5 s TTL, the peer moves and DNS follows: ${ttlRuns} runs (seconds from the DNS change to the new live endpoint)`,
    `  ${follows.map((ms) => (ms === undefined ? "NOT FOLLOWED" : seconds(ms))).join(", ")}`,
    `  ${range(followed)}`,
    "",
    `5. An idle tunnel (keepalives only), IPv6 breaks silently: ${idleRuns} runs (seconds from the fault to the IPv4 endpoint)`,
    `  ${repairs.map((ms) => (ms === undefined ? "NOT REPAIRED" : seconds(ms))).join(", ")}`,
    `  ${range(repaired)}`,
    "",
    "Targets:",
    targetsTable(targets),
    "",
    `BENCH_JSON ${JSON.stringify({
      runs,
      recovered: ok.length,
      recoveryMs: traffic,
      endpointChangedMs: changed,
      moveLoggedMs: reported,
      idle,
      reload,
      ttlFollowMs: followed,
      idleRepairMs: repaired,
      targets: targetsJson(targets),
    })}`,
    "",
  ];
  process.stdout.write(out.join("\n"));
  return targets.every((t) => t[3]) ? 0 : 3;
}

process.exitCode = await main();
