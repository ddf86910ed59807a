/**
 * The measured scenarios: process start-up floors, the real no-op pass on a healthy interface,
 * and `--dry-run` passes over N peers with 1 live and 3 silent-dead addresses each.
 */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { type Lab, wgKeyPairs } from "../test/e2e/lab/index.js";
import { DEFAULT_STATE_DIR } from "./host-like.js";
import {
  checkPass,
  load1,
  type PassCheck,
  round,
  type Summary,
  summary,
  type ToolRun,
  timeNode,
  timeTool,
} from "./measure.js";
import { bigConf, distinctAddresses, hostname, type Layout, peerRecords } from "./plan.js";
import { extraClientUp } from "./wireguard.js";

/** One row of the results table. */
export interface Row {
  readonly scenario: string;
  readonly peers: number;
  readonly layout: Layout | "-";
  readonly distinct: number;
  readonly distinctV4: number;
  readonly wallMs: Summary;
  readonly rssMb: Summary;
  readonly cpuMs: Summary;
  readonly load: { readonly min: number; readonly max: number };
  readonly exitCodes: readonly number[];
  readonly check?: PassCheck;
  readonly setupMs?: number;
}

export interface Context {
  /** A lab of the bench's profile, its own client interface up with the healthy peer. */
  readonly lab: Lab;
  readonly repeat: number;
  /** Largest N: the DNS always holds names for this many peers. */
  readonly maxPeers: number;
  /** Teardown steps still to run: client interfaces up, the default state folder. */
  readonly downs: Set<() => Promise<void>>;
}

/** `repeat` runs of `once`, timed, with the load average around each. */
async function sample(
  repeat: number,
  once: () => Promise<ToolRun>,
): Promise<{ runs: ToolRun[]; load: { min: number; max: number } }> {
  const runs: ToolRun[] = [];
  const loads: number[] = [];
  for (let i = 0; i < repeat; i++) {
    loads.push(await load1());
    runs.push(await once());
  }
  loads.push(await load1());
  return { runs, load: { min: Math.min(...loads), max: Math.max(...loads) } };
}

function row(
  base: Omit<Row, "wallMs" | "rssMb" | "cpuMs" | "load" | "exitCodes">,
  runs: readonly ToolRun[],
  load: Row["load"],
): Row {
  return {
    ...base,
    wallMs: summary(runs.map((r) => r.wallMs)),
    rssMb: summary(runs.map((r) => (r.rssKb * 1024) / 1e6)),
    cpuMs: summary(runs.map((r) => (r.userS + r.sysS) * 1000)),
    load,
    exitCodes: runs.map((r) => r.exitCode),
  };
}

/** How long starting node (and the tool without a pass) takes in the namespace. */
export async function startupFloors(ctx: Context): Promise<Row[]> {
  const { clientNs } = ctx.lab.names;
  const dir = ctx.lab.names.tmpDir;
  const bare = await sample(ctx.repeat, () => timeNode(clientNs, dir, ["-e", "0"]));
  const version = await sample(ctx.repeat, () => timeTool(clientNs, dir, ["--version"]));
  const base = { peers: 0, layout: "-", distinct: 0, distinctV4: 0 } as const;
  return [
    row({ ...base, scenario: "node -e 0 (process start floor)" }, bare.runs, bare.load),
    row({ ...base, scenario: "tool --version (start, no pass)" }, version.runs, version.load),
  ];
}

/** The no-op pass is cheap and noisy: at least this many runs, each paired with `node -e 0`. */
const NOOP_RUNS = 9;

/**
 * A real (not dry-run) zero-argument pass on a healthy interface: the lab's own, one peer whose
 * name resolves (one A, one AAAA) to a wireguard-go server with a fresh handshake, no settings
 * file, the state in its default folder. Every run must decide "keep" and change nothing. The
 * interface goes down (and its file away) afterwards, for the N-peer passes.
 */
export async function healthyPass(ctx: Context): Promise<Row[]> {
  const { lab } = ctx;
  const { clientNs, tmpDir } = lab.names;
  try {
    if (!(await lab.tunnelWorks(0, { timeoutMs: 10_000 })))
      throw new Error("the healthy tunnel carries no ping");
    const before = await lab.liveEndpoint(0);
    const warm = await timeTool(clientNs, tmpDir, []); // untimed: warms caches, state
    // Each run is paired with a `node -e 0` just before it: the machine's speed drifts.
    const floors: ToolRun[] = [];
    const { runs, load } = await sample(Math.max(NOOP_RUNS, ctx.repeat), async () => {
      floors.push(await timeNode(clientNs, tmpDir, ["-e", "0"]));
      return timeTool(clientNs, tmpDir, []);
    });
    const after = await lab.peer(0);
    const state = JSON.parse(await readFile(join(DEFAULT_STATE_DIR, "state.json"), "utf8")) as {
      peers: Record<string, { last?: { action?: string; probes?: unknown[] } }>;
    };
    const actions = Object.values(state.peers).map((p) => p.last?.action);
    const probed = Object.values(state.peers).map((p) => p.last?.probes?.length ?? 0);
    const age = Math.round(Date.now() / 1000 - after.latestHandshake);
    for (const r of [warm, ...runs]) {
      if (r.exitCode !== 0 || r.stdout !== "" || r.stderr !== "")
        throw new Error(`healthy pass: exit ${r.exitCode}, output ${r.stdout}${r.stderr}`);
    }
    if (probed.join() !== "2")
      throw new Error(`healthy pass: expected one A and one AAAA address, saw ${probed.join()}`);
    if (actions.join() !== "keep" || before !== (after.endpoint ?? null))
      throw new Error(`healthy pass did not keep: ${actions.join()}, ${after.endpoint}`);
    if (after.latestHandshake === 0 || age > 120)
      throw new Error(`healthy handshake is stale (${age} s)`);
    const base = { peers: 1, layout: "-", distinct: 2, distinctV4: 1 } as const;
    const floorBase = { peers: 0, layout: "-", distinct: 0, distinctV4: 0 } as const;
    return [
      row({ ...floorBase, scenario: "node -e 0, each before a no-op pass" }, floors, load),
      row({ ...base, scenario: "real no-op pass, healthy peer" }, runs, load),
    ];
  } finally {
    await lab.clientDown();
    await rm(lab.clientConfFile, { force: true });
  }
}

/** `--dry-run` passes over N peers, for each address layout that differs at this N. */
export async function bigPass(ctx: Context, n: number, log: (s: string) => void): Promise<Row[]> {
  const { lab } = ctx;
  const { clientNs, tmpDir } = lab.names;
  const keysStarted = performance.now();
  const [key, ...peers] = await wgKeyPairs(n + 1);
  if (key === undefined) throw new Error("no keys");
  const keysMs = performance.now() - keysStarted;
  const up = await extraClientUp(lab, bigConf(key, peers));
  ctx.downs.add(up.down);
  log(`  ${n} peers: ${round(keysMs, 0)} ms for keys (wg genkey), wg-quick up ${up.upMs} ms`);
  const rows: Row[] = [];
  try {
    const layouts: Layout[] = 2 * n <= 634 ? ["distinct"] : ["distinct", "reused-v4"];
    for (const layout of layouts) {
      const last = n - 1;
      await lab.dns.setMany(peerRecords(ctx.maxPeers, layout), [hostname(last)]);
      const counts = distinctAddresses(n, layout);
      // Untimed first run with --json: checks that every live address answers and every dead
      // one times out (silent), and warms the page cache like the cron runs before it would.
      const first = await timeTool(clientNs, tmpDir, ["--dry-run", "--json"]);
      const check = checkPass(first.stdout);
      const silent = Object.keys(check.errors).every((e) => e === "timeout");
      if (
        check.peers !== n ||
        check.distinctProbed !== counts.total ||
        check.alive !== n ||
        !silent
      ) {
        throw new Error(`lab check failed for ${n}/${layout}: ${JSON.stringify(check)}`);
      }
      const { runs, load } = await sample(ctx.repeat, () =>
        timeTool(clientNs, tmpDir, ["--dry-run"]),
      );
      const scenario = `--dry-run pass, ${n} peers`;
      const base = { peers: n, layout, distinct: counts.total, distinctV4: counts.v4 };
      rows.push(row({ ...base, scenario, check, setupMs: up.upMs }, runs, load));
      log(`  ${n} peers (${layout}): median ${rows.at(-1)?.wallMs.median} ms`);
    }
  } finally {
    await up.down();
    ctx.downs.delete(up.down);
  }
  return rows;
}
