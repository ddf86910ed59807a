/**
 * `npm run bench`: how long one zero-argument pass takes, and how much memory it needs, for
 * N = 20, 100, 500, 2000 peers on a real wireguard-go interface whose hostnames resolve (real
 * dnsmasq) to 1 live and 3 silent-dead addresses each; and how long a real no-op pass on a
 * healthy interface takes, process start included, on a namespace set up like a host: wg-quick
 * from /etc/wireguard, dnsmasq on 127.0.0.1 (TTL 0) with one A and one AAAA record for the
 * Endpoint name, no settings file, the state folder at its default place on disk. Needs root;
 * builds an e2e lab of its own profile (bench/plan.ts: namespaces wgem-bc-<id>, wgem-bs-<id>)
 * and removes it at the end, also on SIGINT/SIGTERM.
 *
 * Environment: BENCH_SIZES=20,100 (default 20,100,500,2000), BENCH_REPEAT=5 (default 3),
 * BENCH_KEEP=1 keeps the tmp dir (dnsmasq and wireguard-go logs), BENCH_NODE_ARGS adds node flags
 * to every timed run (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
import { access, constants } from "node:fs/promises";
import { cpus } from "node:os";
import { createLab, labSkipReason, SERVER_V4, SERVER_V6 } from "../test/e2e/lab/index.js";
import { defaultStateDirTaken, withoutSettings } from "./host-like.js";
import { load1 } from "./measure.js";
import { BENCH_PROFILE, HEALTHY_HOST, hostname, peerRecords } from "./plan.js";
import { benchJson, originalLines, table, targetLines, targets } from "./report.js";
import { bigPass, type Context, healthyPass, type Row, startupFloors } from "./scenarios.js";

const log = (text: string) => process.stderr.write(`${text}\n`);

function sizes(): number[] {
  const raw = process.env["BENCH_SIZES"] ?? "20,100,500,2000";
  const list = raw.split(",").map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < 1 || n > 2000))
    throw new Error(`BENCH_SIZES=${raw}: expected peer counts from 1 to 2000`);
  return list;
}

function repeat(): number {
  const n = Number(process.env["BENCH_REPEAT"] ?? "3");
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new Error("BENCH_REPEAT: 1 to 20");
  return n;
}

async function bench(ctx: Context, list: readonly number[]): Promise<Row[]> {
  const rows: Row[] = [];
  log("start-up floors ...");
  rows.push(...(await startupFloors(ctx)));
  log("real no-op pass on a healthy interface ...");
  rows.push(...(await healthyPass(ctx)));
  log("--dry-run passes ...");
  for (const n of list) rows.push(...(await bigPass(ctx, n, log)));
  return rows;
}

async function main(): Promise<number> {
  const skip = (await labSkipReason()) ?? (await timeMissing()) ?? (await defaultStateDirTaken());
  if (skip !== undefined) {
    log(`pass-bench: ${skip}`);
    return 1;
  }
  const list = sizes();
  const maxPeers = Math.max(...list);
  log("building the lab ...");
  const lab = await createLab({
    profile: BENCH_PROFILE,
    servers: [{ hostname: HEALTHY_HOST, addresses: [SERVER_V6, SERVER_V4] }],
    keepTmp: process.env["BENCH_KEEP"] === "1",
  });
  const ctx: Context = { lab, repeat: repeat(), maxPeers, downs: new Set() };
  ctx.downs.add(await withoutSettings(lab));
  let torn: Promise<void> | undefined;
  const teardown = () => {
    torn ??= (async () => {
      for (const down of [...ctx.downs]) await down().catch(() => undefined);
      await lab.destroy();
    })();
    return torn;
  };
  const interrupted = (signal: NodeJS.Signals) => {
    log(`pass-bench: ${signal}, tearing down ${lab.names.id} ...`);
    void teardown().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  const started = performance.now();
  const loadBefore = await load1();
  let rows: Row[];
  try {
    log(`bench ${lab.names.id}: namespaces ${lab.clientNamespace}, ${lab.serverNamespace}`);
    await lab.dns.setMany(peerRecords(maxPeers, "distinct"), [hostname(maxPeers - 1)]);
    rows = await bench(ctx, list);
  } finally {
    await teardown();
  }
  const environment = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "?",
    node: process.version,
    load1Before: loadBefore,
    load1After: await load1(),
    repeat: ctx.repeat,
    keys: "wg genkey | wg pubkey",
    totalSeconds: Math.round((performance.now() - started) / 1000),
  };
  const list2 = targets(rows);
  const out = [
    "",
    `wg-endpoint-manager pass benchmark: ${environment.cpus} CPUs (${environment.cpuModel}), node ${environment.node}, ` +
      `${ctx.repeat} timed runs per row (after one untimed warm-up run), load1 ${loadBefore} before, ${environment.load1After} after`,
    "Each peer: 1 live IPv6 + 2 dead 'IPv4' slots + 1 dead IPv6 (dead = silently dropped).",
    "  layout distinct: 4 addresses of its own per peer (IPv4 pool of 634 first, then IPv6 stand-ins)",
    "  layout reused-v4: always 2 dead IPv4, shared between peers once the 634 run out",
    "wall = spawn of `ip netns exec NS /usr/bin/time node bin.js ...` to exit; RSS = GNU time %M",
    "",
    table(rows),
    "",
    "Targets (default settings):",
    ...targetLines(list2),
    "",
    ...originalLines(rows),
    "",
    benchJson(rows, list2, environment),
    "",
  ];
  process.stdout.write(out.join("\n"));
  return list2.every((t) => t.met !== false) ? 0 : 3;
}

async function timeMissing(): Promise<string | undefined> {
  return access("/usr/bin/time", constants.X_OK).then(
    () => undefined,
    () => "needs GNU time at /usr/bin/time (apt-get install time)",
  );
}

process.exitCode = await main();
