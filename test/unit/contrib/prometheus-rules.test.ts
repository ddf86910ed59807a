/**
 * The shipped alert rules (contrib/prometheus/): promtool checks them and runs their unit tests
 * (input series, expected alerts); every alert has a test in which it fires, a summary, and a
 * runbook that is a README heading.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { load } from "js-yaml";
import {
  alertRules,
  promtool,
  promtoolSkipReason,
  RULES_FILE,
  RULES_TEST_FILE,
  rulesWithFor,
} from "../../support/monitoring.js";
import { repoRoot } from "../../support/paths.js";

const skip = promtoolSkipReason === undefined ? {} : { skip: promtoolSkipReason };

/** The alerts an operator needs, one per condition. */
const ALERTS = [
  "WireGuardPeerDown",
  "WgEndpointManagerNoPass",
  "WireGuardPeerOnFallback",
  "WireGuardEndpointFlapping",
  "WgEndpointManagerHostOffline",
  "WireGuardVerifyFailuresRising",
];

test("promtool check rules: the rules file is valid", skip, () => {
  const result = promtool(["check", "rules", RULES_FILE]);
  assert.equal(result.status, 0, result.output);
  assert.match(result.output, new RegExp(`SUCCESS: ${ALERTS.length} rules found`));
});

test(
  "promtool test rules: every alert fires on its input, and not on its near misses",
  skip,
  () => {
    const result = promtool(["test", "rules", RULES_TEST_FILE]);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /SUCCESS/);
  },
);

test("the rules hold the six alerts, each with a test where it fires", () => {
  assert.deepEqual(
    alertRules().map((r) => r.alert),
    ALERTS,
  );
  const tests = load(readFileSync(RULES_TEST_FILE, "utf8")) as {
    tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
  };
  const fired = new Set(
    tests.tests.flatMap((t) =>
      t.alert_rule_test.filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname),
    ),
  );
  for (const alert of ALERTS) assert.ok(fired.has(alert), `no test where ${alert} fires`);
});

test("every alert has a summary with the instance, a severity, and a runbook that is a README heading", () => {
  const anchors = readmeAnchors();
  for (const rule of alertRules()) {
    assert.match(
      rule.annotations?.["summary"] ?? "",
      /^\{\{ \$labels\.instance \}\}: /,
      rule.alert,
    );
    assert.match(rule.labels?.["severity"] ?? "", /^(critical|warning)$/, rule.alert);
    const runbook = rule.annotations?.["runbook"] ?? "";
    assert.equal(runbook, `README.md#${rule.alert.toLowerCase()}`, rule.alert);
    assert.ok(anchors.has(rule.alert.toLowerCase()), `README has no heading "${rule.alert}"`);
  }
});

test("the e2e copy of the rules changes the for: durations only", () => {
  const copy = rulesWithFor("7s");
  const original = readFileSync(RULES_FILE, "utf8");
  const lines = (text: string) => text.split("\n").filter((l) => !/^\s+for: /.test(l));
  assert.deepEqual(lines(copy), lines(original));
  const rewritten = copy.split("\n").filter((l) => /^\s+for: /.test(l));
  assert.equal(rewritten.length, alertRules().filter((r) => r.for !== undefined).length);
  assert.ok(rewritten.length >= 3 && rewritten.every((l) => l.endsWith(" for: 7s")), copy);
});

// --- internal ---

/** GitHub's anchors for the README's headings: lower case, punctuation dropped, spaces to -. */
function readmeAnchors(): Set<string> {
  const text = readFileSync(join(repoRoot, "README.md"), "utf8");
  const headings = text.split("\n").filter((l) => /^#{1,6} /.test(l));
  return new Set(
    headings.map((h) =>
      h
        .replace(/^#+ /, "")
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-"),
    ),
  );
}
