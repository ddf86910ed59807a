/**
 * End-to-end: the Prometheus metrics on a real tunnel. A cron run writes metrics.textfile after a
 * repair (the new endpoint, one change), a second run keeps the count (it lives in the state
 * file), and `watch` serves GET /metrics on 127.0.0.1 inside the client namespace.
 */
import assert from "node:assert/strict";
import { mkdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { type Lab, SERVER_V4 as V4, SERVER_V6 as V6 } from "./lab/index.js";
import { assertMoved, cron, endpoint, FAST, labFor, labOpts, show } from "./support/cron.js";
import { startWatch } from "./support/watch.js";

/** The labels of the lab's peer `index`, as the metrics spell them. */
function peerLabels(lab: Lab, index: number): string {
  const s = lab.server(index);
  return `interface="${lab.interface}",public_key="${s.publicKey}",hostname="${s.hostname}"`;
}

/** The value of the one sample `name{labels}` in `text`; undefined when absent. */
function sample(text: string, series: string): string | undefined {
  const found = text.split("\n").filter((line) => line.startsWith(`${series} `));
  assert.ok(found.length <= 1, `${series} appears ${found.length} times`);
  return found[0]?.slice(series.length + 1);
}

test(
  "cron: after a repair the textfile holds the new endpoint and one change; a second run keeps the count",
  labOpts,
  async (t) => {
    const lab = await labFor(t);
    const dir = join(lab.names.tmpDir, "textfile");
    await mkdir(dir, { mode: 0o755 });
    const file = join(dir, "wgem.prom");
    await lab.writeToolConfig({ ...FAST, metrics: { textfile: file } });
    const peer = peerLabels(lab, 0);
    const v6 = endpoint(lab, 0, V6);
    const v4 = endpoint(lab, 0, V4);

    const healthy = await cron(t, lab);
    assert.equal(healthy.exitCode, 0, show(healthy));
    const before = await readFile(file, "utf8");
    assert.equal(sample(before, `wgem_peer_info{${peer},endpoint="${v6}"}`), "1", before);
    assert.equal(sample(before, `wgem_endpoint_changes_total{${peer}}`), "0", before);
    assert.equal(sample(before, `wgem_peer_up{${peer}}`), "1", before);
    assert.equal((await stat(file)).mode & 0o777, 0o644);

    await lab.breakIpv6Silently();
    const repair = await cron(t, lab);
    await assertMoved(lab, repair, v6, v4);
    const after = await readFile(file, "utf8");
    assert.equal(sample(after, `wgem_peer_info{${peer},endpoint="${v4}"}`), "1", after);
    assert.equal(sample(after, `wgem_peer_info{${peer},endpoint="${v6}"}`), undefined, after);
    assert.equal(sample(after, `wgem_endpoint_changes_total{${peer}}`), "1", after);
    assert.equal(sample(after, `wgem_peer_up{${peer}}`), "1", after);
    assert.equal(sample(after, `wgem_probe_up{${peer},address="${V6}"}`), "0", after);
    assert.equal(sample(after, `wgem_probe_up{${peer},address="${V4}"}`), "1", after);
    const firstPass = Number(sample(after, "wgem_last_pass_timestamp_seconds"));

    const again = await cron(t, lab);
    assert.equal(again.exitCode, 0, show(again));
    const later = await readFile(file, "utf8");
    assert.equal(sample(later, `wgem_endpoint_changes_total{${peer}}`), "1", "not reset");
    assert.equal(sample(later, `wgem_peer_info{${peer},endpoint="${v4}"}`), "1", later);
    assert.ok(Number(sample(later, "wgem_last_pass_timestamp_seconds")) > firstPass, later);

    const check = await lab.runTool(["status", "--check"]);
    assert.equal(check.exitCode, 0, show(check));
    assert.match(check.stdout, /^OK: 1 peer up \| up=1 down=0 age=\d+s\n$/);
  },
);

test("watch: GET /metrics answers on metrics.listen inside the namespace", labOpts, async (t) => {
  const lab = await labFor(t);
  const textfile = join(lab.names.tmpDir, "wgem.prom");
  await lab.writeToolConfig({ ...FAST, metrics: { listen: "127.0.0.1:9777", textfile } });
  const watch = await startWatch(t, lab);
  assert.match(watch.log, /serving metrics on http:\/\/127\.0\.0\.1:9777\/metrics/);
  const peer = peerLabels(lab, 0);
  const v6 = endpoint(lab, 0, V6);

  const scrape = await getInNamespace(lab, "http://127.0.0.1:9777/metrics");
  assert.equal(scrape.status, "200 text/plain; version=0.0.4; charset=utf-8", scrape.body);
  assert.equal(sample(scrape.body, `wgem_peer_info{${peer},endpoint="${v6}"}`), "1", scrape.body);
  assert.equal(sample(scrape.body, `wgem_peer_up{${peer}}`), "1", scrape.body);
  assert.ok(Number(sample(scrape.body, "wgem_last_pass_timestamp_seconds")) > 0, scrape.body);
  assert.match(scrape.body, /^wgem_build_info\{version="[^"]+"\} 1$/m);
  // The service writes the textfile too, after every pass.
  const text = await readFile(textfile, "utf8");
  assert.equal(sample(text, `wgem_peer_info{${peer},endpoint="${v6}"}`), "1", text);

  assert.equal((await getInNamespace(lab, "http://127.0.0.1:9777/")).status.slice(0, 3), "404");
});

/** GET `url` from inside the client namespace (node's fetch): "STATUS CONTENT-TYPE" and body. */
async function getInNamespace(lab: Lab, url: string): Promise<{ status: string; body: string }> {
  const script = `const r = await fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(5000) });
process.stdout.write(r.status + " " + r.headers.get("content-type") + "\\n" + (await r.text()));`;
  const result = await lab.clientExec([process.execPath, "--input-type=module", "-e", script]);
  assert.equal(result.exitCode, 0, show(result));
  const newline = result.stdout.indexOf("\n");
  return { status: result.stdout.slice(0, newline), body: result.stdout.slice(newline + 1) };
}
