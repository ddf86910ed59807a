/**
 * A real Prometheus and a real node_exporter (Debian's binaries) inside a lab's client
 * namespace, on its loopback: Prometheus scrapes `watch`'s metrics.listen and node_exporter's
 * textfile collector every second and evaluates a test copy of the shipped rules every second.
 * Both are children of this process, stopped by PID after the test; every wait is bounded.
 */
import { access, constants, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Lab } from "../lab/index.js";
import { show } from "./cron.js";
import { launchInClient, type WatchProcess } from "./watch.js";

export const PROMETHEUS_BIN = "/usr/bin/prometheus";
export const NODE_EXPORTER_BIN = "/usr/bin/prometheus-node-exporter";
/** Where they listen, on the namespace's own loopback (no clash with the host or other labs). */
export const PROMETHEUS_ADDRESS = "127.0.0.1:9090";
export const NODE_EXPORTER_ADDRESS = "127.0.0.1:9100";

/** Why the monitoring test cannot run here (undefined when it can). */
export async function monitoringSkipReason(): Promise<string | undefined> {
  for (const bin of [PROMETHEUS_BIN, NODE_EXPORTER_BIN]) {
    try {
      await access(bin, constants.X_OK);
    } catch {
      return `${bin} is missing (apt-get install prometheus prometheus-node-exporter)`;
    }
  }
  return undefined;
}

/** Starts node_exporter with the textfile collector alone, reading `dir`. */
export async function startNodeExporter(
  t: TestContext,
  lab: Lab,
  dir: string,
): Promise<WatchProcess> {
  const argv = [
    NODE_EXPORTER_BIN,
    "--collector.disable-defaults",
    "--collector.textfile",
    `--collector.textfile.directory=${dir}`,
    `--web.listen-address=${NODE_EXPORTER_ADDRESS}`,
  ];
  const ready = (p: WatchProcess) => p.waitForLog(/Listening on/, 15_000);
  return stopAfterTest(t, "node_exporter", await launchInClient(lab, argv, ready));
}

/**
 * Starts Prometheus with storage in `dir`, scraping the service (job `wg-endpoint-manager`,
 * `listen`) and node_exporter (job `node`), with `rules` as its only rule file.
 */
export async function startPrometheus(
  t: TestContext,
  lab: Lab,
  dir: string,
  listen: string,
  rules: string,
): Promise<WatchProcess> {
  await mkdir(join(dir, "data"), { recursive: true });
  await writeFile(join(dir, "rules.yml"), rules);
  const config = {
    global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" },
    rule_files: [join(dir, "rules.yml")],
    scrape_configs: [
      { job_name: "wg-endpoint-manager", static_configs: [{ targets: [listen] }] },
      { job_name: "node", static_configs: [{ targets: [NODE_EXPORTER_ADDRESS] }] },
    ],
  };
  // JSON is YAML: Prometheus reads it as its config.
  await writeFile(join(dir, "prometheus.yml"), JSON.stringify(config, null, 2));
  const argv = [
    PROMETHEUS_BIN,
    `--config.file=${join(dir, "prometheus.yml")}`,
    `--storage.tsdb.path=${join(dir, "data")}`,
    `--web.listen-address=${PROMETHEUS_ADDRESS}`,
  ];
  const ready = (p: WatchProcess) =>
    p.waitForLog(/Server is ready to receive web requests/, 30_000);
  return stopAfterTest(t, "prometheus", await launchInClient(lab, argv, ready));
}

/** A series of an instant query's answer: its labels and value. */
export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One alert as `/api/v1/alerts` gives it. */
export interface ActiveAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly state: "pending" | "firing";
}

/** Prometheus' HTTP API from inside the namespace. */
export class PrometheusApi {
  constructor(private readonly lab: Lab) {}

  /** Runs an instant query; throws with Prometheus' error when it does not succeed. */
  async query(expr: string): Promise<Sample[]> {
    const path = `/api/v1/query?query=${encodeURIComponent(expr)}`;
    const body = (await this.get(path)) as { data: { result: RawSample[] } };
    return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  /** The alerts that are pending or firing now. */
  async alerts(): Promise<ActiveAlert[]> {
    const body = (await this.get("/api/v1/alerts")) as { data: { alerts: ActiveAlert[] } };
    return body.data.alerts;
  }

  /** Polls `probe` every 250 ms until it returns a value other than undefined, for at most `timeoutMs`. */
  async until<T>(timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
    const deadline = performance.now() + timeoutMs;
    for (let i = 0; i < Math.ceil(timeoutMs / 250) + 1 && performance.now() < deadline; i++) {
      const value = await probe();
      if (value !== undefined) return value;
      await sleep(250);
    }
    return undefined;
  }

  private async get(path: string): Promise<unknown> {
    const url = `http://${PROMETHEUS_ADDRESS}${path}`;
    const script = `const r = await fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(5000) });
process.stdout.write(await r.text());`;
    const argv = [process.execPath, "--input-type=module", "-e", script];
    const result = await this.lab.clientExec(argv, { timeoutMs: 10_000 });
    if (result.exitCode !== 0) throw new Error(`GET ${path}: ${show(result)}`);
    const body = JSON.parse(result.stdout) as { status: string; error?: string };
    if (body.status !== "success") throw new Error(`GET ${path}: ${result.stdout}`);
    return body;
  }
}

// --- internal ---

interface RawSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

function stopAfterTest(t: TestContext, name: string, process: WatchProcess): WatchProcess {
  t.after(async () => {
    await process.kill();
    const lines = process.log.trimEnd().split("\n");
    for (const line of lines.slice(-15)) t.diagnostic(`  ${name}: ${line}`);
  });
  return process;
}
