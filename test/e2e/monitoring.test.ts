/**
 * End-to-end on the real monitoring tools (Debian's prometheus and prometheus-node-exporter),
 * inside the lab's client namespace: node_exporter reads metrics.textfile after cron-style runs,
 * Prometheus scrapes it and `watch`'s metrics.listen, and evaluates the shipped rules with
 * shorter `for:` durations (the same expressions). Asserted through Prometheus' HTTP API: the
 * series and their labels, data behind every dashboard query, and the peer-down alert going
 * pending, then firing, on a tunnel broken for good, and resolving after the repair.
 */
import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { dashboardQueries, rulesWithFor } from "../support/monitoring.js";
import { type Lab, SERVER_V4 as V4, SERVER_V6 as V6 } from "./lab/index.js";
import { cron, endpoint, FAST, labFor, labOpts, show } from "./support/cron.js";
import {
  type ActiveAlert,
  monitoringSkipReason,
  PrometheusApi,
  type Sample,
  startNodeExporter,
  startPrometheus,
} from "./support/prometheus.js";
import { startWatch } from "./support/watch.js";

const skipReason = labOpts.skip ?? (await monitoringSkipReason());
const opts = skipReason === undefined ? {} : { skip: skipReason };
const LISTEN = "127.0.0.1:9777";
const JOB = "wg-endpoint-manager";
/** The shortened `for:` of every alert in the test copy of the rules. */
const FOR = "6s";

test(
  "Prometheus and node_exporter: the series and labels, every dashboard query, and the peer-down alert",
  opts,
  async (t) => {
    const lab = await labFor(t);
    const textDir = join(lab.names.tmpDir, "textfile");
    await mkdir(textDir, { mode: 0o755 });
    const textfile = join(textDir, "wg-endpoint-manager.prom");
    await lab.writeToolConfig({ ...FAST, metrics: { textfile } });
    await startNodeExporter(t, lab, textDir);
    const promDir = join(lab.names.tmpDir, "prometheus");
    await startPrometheus(t, lab, promDir, LISTEN, rulesWithFor(FOR));
    const api = new PrometheusApi(lab);
    const peer = peerLabels(lab);
    const v6 = endpoint(lab, 0, V6);

    // Cron-style runs: node_exporter serves the textfile each one leaves behind.
    for (let run = 0; run < 2; run++) {
      const result = await cron(t, lab);
      assert.equal(result.exitCode, 0, show(result));
      const written = await lastPassIn(textfile);
      const seen = await api.until(15_000, async () => {
        const [s] = await api.query('wgem_last_pass_timestamp_seconds{job="node"}');
        return s?.value === written ? s : undefined;
      });
      assert.ok(seen, `Prometheus saw the textfile of run ${run + 1} (${written})`);
    }
    const nodeUp = await api.query('wgem_peer_up{job="node"}');
    assert.deepEqual(nodeUp, [
      {
        metric: { __name__: "wgem_peer_up", instance: "127.0.0.1:9100", job: "node", ...peer },
        value: 1,
      },
    ]);
    const nodeInfo = await api.query('wgem_peer_info{job="node"}');
    assert.deepEqual(
      nodeInfo.map((s) => s.metric["endpoint"]),
      [v6],
    );

    // The service: scraped on metrics.listen, full passes every 5 s.
    await lab.writeToolConfig({
      ...FAST,
      watch: { intervalSeconds: 5 },
      metrics: { listen: LISTEN, textfile },
    });
    const watch = await startWatch(t, lab);
    const info = await api.until(15_000, async () =>
      nonEmpty(await api.query(`wgem_peer_info{job="${JOB}"}`)),
    );
    const scraped = { instance: LISTEN, job: JOB, ...peer };
    assert.deepEqual(info, [
      { metric: { __name__: "wgem_peer_info", ...scraped, endpoint: v6 }, value: 1 },
    ]);
    assert.deepEqual(await api.query(`wgem_peer_up{job="${JOB}"}`), [
      { metric: { __name__: "wgem_peer_up", ...scraped }, value: 1 },
    ]);

    // Every query of the dashboard parses and returns data.
    for (const q of dashboardQueries()) {
      const data = await api.until(20_000, async () => nonEmpty(await api.query(q.query)));
      assert.ok(data, `dashboard panel "${q.panel}" ${q.refId}: no data for ${q.query}`);
    }
    assert.deepEqual(await peerDown(api), [], "no alert on a healthy tunnel");

    // The tunnel broken for good: every address of the peer silent.
    const from = watch.log.length;
    await lab.makeSilentDead(V6);
    await lab.makeSilentDead(V4);
    const states: string[] = [];
    const firing = await api.until(90_000, async () => {
      const [alert] = await peerDown(api);
      if (alert !== undefined && states.at(-1) !== alert.state) states.push(alert.state);
      return alert?.state === "firing" ? alert : undefined;
    });
    t.diagnostic(`peer-down alert states: ${states.join(" -> ")}`);
    assert.ok(
      firing,
      `WireGuardPeerDown fired (${states.join(" -> ")}):\n${watch.log.slice(from)}`,
    );
    assert.deepEqual(states, ["pending", "firing"]);
    assert.deepEqual(firing.labels, {
      alertname: "WireGuardPeerDown",
      severity: "critical",
      ...scraped,
    });
    const { hostname } = peer;
    assert.equal(
      firing.annotations["summary"],
      `${LISTEN}: WireGuard peer ${hostname} on ${lab.interface} has had no working endpoint for 5 minutes`,
    );
    assert.equal(firing.annotations["runbook"], "README.md#wireguardpeerdown");
    assert.deepEqual(await api.query(`wgem_peer_up{job="${JOB}"}`).then(values), [0]);

    // Repaired: the next full pass finds the endpoint working, and the alert resolves.
    await lab.revive(V6);
    await lab.revive(V4);
    const resolved = await api.until(60_000, async () =>
      (await peerDown(api)).length === 0 ? true : undefined,
    );
    assert.ok(resolved, `WireGuardPeerDown resolved after the repair:\n${watch.log.slice(from)}`);
    assert.deepEqual(await api.query(`wgem_peer_up{job="${JOB}"}`).then(values), [1]);
  },
);

/** The lab peer's labels, as the metrics spell them. */
function peerLabels(lab: Lab): Record<string, string> {
  const s = lab.server(0);
  return { interface: lab.interface, public_key: s.publicKey, hostname: s.hostname };
}

/** The service's WireGuardPeerDown alerts, pending or firing. */
async function peerDown(api: PrometheusApi): Promise<ActiveAlert[]> {
  return (await api.alerts()).filter(
    (a) => a.labels["alertname"] === "WireGuardPeerDown" && a.labels["job"] === JOB,
  );
}

/** `wgem_last_pass_timestamp_seconds` as the textfile holds it. */
async function lastPassIn(textfile: string): Promise<number> {
  const text = await readFile(textfile, "utf8");
  const line = text.split("\n").find((l) => l.startsWith("wgem_last_pass_timestamp_seconds "));
  assert.ok(line, text);
  return Number(line.split(" ")[1]);
}

function nonEmpty(samples: Sample[]): Sample[] | undefined {
  return samples.length > 0 ? samples : undefined;
}

function values(samples: Sample[]): number[] {
  return samples.map((s) => s.value);
}
