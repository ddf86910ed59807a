/**
 * The shipped Grafana dashboard (contrib/grafana/): it shows what an operator looks for, every
 * query in it parses (promtool checks each one as a recording rule), and it uses only metrics
 * that wg-endpoint-manager exports. The e2e monitoring test runs the same queries against a real
 * Prometheus and requires data from each.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { dashboardQueries, promtool, promtoolSkipReason } from "../../support/monitoring.js";
import { fixture } from "../../support/paths.js";

const skip = promtoolSkipReason === undefined ? {} : { skip: promtoolSkipReason };

test("the dashboard has the panels an operator looks for", () => {
  const panels = new Set(dashboardQueries().map((q) => q.panel));
  for (const title of [
    "Peers up",
    "Endpoint changes",
    "Time on fallback",
    "Probe RTT per address",
    "Pass duration",
    "Last pass age",
  ])
    assert.ok(panels.has(title), `no panel "${title}" in ${[...panels].join(", ")}`);
});

test("every query of the dashboard parses (promtool check rules)", skip, (t) => {
  const queries = dashboardQueries();
  const dir = mkdtempSync(join(tmpdir(), "wgem-dashboard-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const rules = queries.map(
    (q, i) => `      - record: dashboard_query_${i}\n        expr: ${JSON.stringify(q.query)}`,
  );
  const file = join(dir, "dashboard.rules.yml");
  writeFileSync(file, `groups:\n  - name: dashboard\n    rules:\n${rules.join("\n")}\n`);
  const result = promtool(["check", "rules", file]);
  assert.equal(result.status, 0, result.output);
  assert.match(result.output, new RegExp(`SUCCESS: ${queries.length} rules found`));
});

test("a broken query is caught (the check above is not vacuous)", skip, (t) => {
  const dir = mkdtempSync(join(tmpdir(), "wgem-dashboard-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "broken.rules.yml");
  const expr = JSON.stringify("sum by (instance (wgem_peer_up)");
  writeFileSync(
    file,
    `groups:\n  - name: d\n    rules:\n      - record: x\n        expr: ${expr}\n`,
  );
  assert.notEqual(promtool(["check", "rules", file]).status, 0);
});

test("the dashboard uses only metrics that wg-endpoint-manager exports", () => {
  const exported = new Set(
    [...readFileSync(fixture("metrics", "fleet.prom"), "utf8").matchAll(/^# TYPE (\w+) /gm)].map(
      (m) => m[1],
    ),
  );
  for (const q of dashboardQueries())
    for (const name of q.expr.match(/\bwgem_\w+/g) ?? [])
      assert.ok(exported.has(name), `${q.panel}: ${name} is not exported`);
});
