/** The results table, the targets, and the one-line JSON (`BENCH_JSON {...}`). */
import { summary } from "./measure.js";
import type { Row } from "./scenarios.js";

/** Targets of the pass benchmark. */
const NOOP_OVER_FLOOR_MS = 45;
const SCALE_RATIO = 1.4;
const PEAK_RSS_2000_MB = 80;

/** The original script: one peer per invocation, one address after another. */
export const ORIGINAL_SECONDS_PER_PEER = 13;

export interface Target {
  readonly name: string;
  readonly limit: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

export function table(rows: readonly Row[]): string {
  const header = [
    "scenario",
    "peers",
    "layout",
    "distinct addr (v4)",
    "wall median ms",
    "wall max ms",
    "peak RSS median MB",
    "RSS max MB",
    "CPU median ms",
    "load1",
  ];
  const body = rows.map((r) => [
    r.scenario,
    String(r.peers),
    r.layout,
    r.distinct > 0 ? `${r.distinct} (${r.distinctV4})` : "-",
    r.wallMs.median.toFixed(0),
    r.wallMs.max.toFixed(0),
    r.rssMb.median.toFixed(1),
    r.rssMb.max.toFixed(1),
    r.cpuMs.median.toFixed(0),
    `${r.load.min.toFixed(2)}-${r.load.max.toFixed(2)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join(" | ");
  const rule = widths.map((w) => "-".repeat(w)).join("-|-");
  return [line(header), rule, ...body.map(line)].join("\n");
}

/** The pass benchmark's targets, against what was measured (undefined: not measured). */
export function targets(rows: readonly Row[]): Target[] {
  const dry = (n: number, layout: string) =>
    rows.find((r) => r.peers === n && r.layout === layout && r.scenario.startsWith("--dry-run"));
  const p500 = dry(500, "distinct");
  const p2000 = dry(2000, "distinct");
  const noop = rows.find((r) => r.scenario.startsWith("real no-op"));
  const floor = rows.find((r) => r.scenario.startsWith("node -e 0, each before"));
  const ms = (x: number | undefined) => (x === undefined ? "n/a" : `${x.toFixed(0)} ms`);
  const check = (value: number | undefined, limit: number) =>
    value === undefined ? undefined : value <= limit;
  const over = noop && floor ? overFloor(noop, floor) : undefined;
  const ratio = p500 && p2000 ? p2000.wallMs.median / p500.wallMs.median : undefined;
  const ratios = p500 && p2000 ? p2000.wallMs.samples.map((w) => w / p500.wallMs.median) : [];
  return [
    {
      name: "no-op cron run over `node -e 0` run just before it (median of the differences)",
      limit: `<= ${NOOP_OVER_FLOOR_MS} ms`,
      measured:
        over === undefined
          ? "n/a"
          : `${over.toFixed(0)} ms; no-op median ${ms(noop?.wallMs.median)}, node -e 0 median ${ms(floor?.wallMs.median)}`,
      met: check(over, NOOP_OVER_FLOOR_MS),
    },
    {
      name: "2000 peers / 500 peers, --dry-run, medians",
      limit: `<= ${SCALE_RATIO}x`,
      measured:
        ratio === undefined
          ? "n/a"
          : `${ratio.toFixed(2)}x (each 2000-peer run: ${ratios.map((r) => r.toFixed(2)).join(" ")})`,
      met: ratio === undefined ? undefined : ratio <= SCALE_RATIO,
    },
    {
      name: "peak RSS, 2000 peers x 4 addresses",
      limit: `<= ${PEAK_RSS_2000_MB} MB`,
      measured: p2000 ? `max ${p2000.rssMb.max.toFixed(1)} MB` : "n/a",
      met: check(p2000?.rssMb.max, PEAK_RSS_2000_MB),
    },
    {
      name: "500 peers x 4 addresses (3 silent-dead), --dry-run",
      limit: "<= 3000 ms",
      measured: `median ${ms(p500?.wallMs.median)}, max ${ms(p500?.wallMs.max)}`,
      met: check(p500?.wallMs.max, 3000),
    },
    {
      name: "peak RSS at 500 peers",
      limit: "<= 100 MB",
      measured: p500 ? `max ${p500.rssMb.max.toFixed(1)} MB` : "n/a",
      met: check(p500?.rssMb.max, 100),
    },
  ];
}

/** The no-op pass over the `node -e 0` run just before it: the median of the run-by-run differences. */
export function overFloor(noop: Row, floor: Row): number | undefined {
  const differences = noop.wallMs.samples.map(
    (w, i) => w - (floor.wallMs.samples[i] ?? Number.NaN),
  );
  if (differences.length === 0 || differences.some(Number.isNaN)) return undefined;
  return summary(differences).median;
}

export function targetLines(list: readonly Target[]): string[] {
  return list.map((t) => {
    const verdict = t.met === undefined ? "NOT MEASURED" : t.met ? "met" : "MISSED";
    return `  ${verdict.padEnd(12)} ${t.name}: ${t.measured} (target ${t.limit})`;
  });
}

/** The original script's cost for the same peers: ~13 s per peer, one peer per invocation. */
export function originalLines(rows: readonly Row[]): string[] {
  const lines = [
    `  original script: ~${ORIGINAL_SECONDS_PER_PEER} s per peer, one peer per invocation`,
    "    (3 echoes 0.5 s apart, 2 s timeout, addresses one after another; a dead address costs",
    "     3 s if ping's 2 s deadline covers all echoes, up to 7 s if each echo waits 2 s in turn)",
  ];
  for (const r of rows.filter((x) => x.scenario.startsWith("--dry-run") && x.layout === "distinct"))
    lines.push(
      `    ${String(r.peers).padStart(4)} peers: original ~${r.peers * ORIGINAL_SECONDS_PER_PEER} s ` +
        `(${formatDuration(r.peers * ORIGINAL_SECONDS_PER_PEER)}), this tool ${(r.wallMs.median / 1000).toFixed(2)} s`,
    );
  return lines;
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(0)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function benchJson(
  rows: readonly Row[],
  list: readonly Target[],
  environment: Readonly<Record<string, unknown>>,
): string {
  return `BENCH_JSON ${JSON.stringify({
    environment,
    rows: rows.map((r) => ({
      scenario: r.scenario,
      peers: r.peers,
      layout: r.layout,
      distinctAddresses: r.distinct,
      distinctIpv4: r.distinctV4,
      wallMs: r.wallMs,
      peakRssMb: r.rssMb,
      cpuMs: r.cpuMs,
      load1: r.load,
      exitCodes: r.exitCodes,
      ...(r.setupMs !== undefined ? { wgQuickUpMs: r.setupMs } : {}),
      ...(r.check !== undefined ? { check: r.check } : {}),
    })),
    targets: list,
    originalScript: { secondsPerPeer: ORIGINAL_SECONDS_PER_PEER, peersPerInvocation: 1 },
  })}`;
}
