/**
 * The shipped Prometheus rules and Grafana dashboard, as the tests read them: promtool (Debian's
 * `prometheus` package), the dashboard's PromQL with Grafana's variables filled in, and a copy
 * of the rules with shorter `for:` durations (the same expressions) for the e2e lab.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import { repoRoot } from "./paths.js";

export const RULES_FILE = join(repoRoot, "contrib", "prometheus", "wg-endpoint-manager.rules.yml");
export const RULES_TEST_FILE = join(
  repoRoot,
  "contrib",
  "prometheus",
  "wg-endpoint-manager.rules.test.yml",
);
export const DASHBOARD_FILE = join(repoRoot, "contrib", "grafana", "wg-endpoint-manager.json");

/** promtool's exit status and output (bounded: killed after 60 s). */
export interface PromtoolResult {
  readonly status: number | null;
  readonly output: string;
}

/** Why promtool tests cannot run here (undefined when they can). */
export const promtoolSkipReason: string | undefined = (() => {
  const probe = spawnSync("promtool", ["--version"], { encoding: "utf8", timeout: 10_000 });
  return probe.status === 0 ? undefined : "promtool is not installed (apt-get install prometheus)";
})();

/** Runs `promtool ARGS` in `cwd`. */
export function promtool(args: readonly string[], cwd = repoRoot): PromtoolResult {
  const result = spawnSync("promtool", args, { cwd, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

/** One alerting rule as the rules file spells it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

interface RulesDoc {
  groups: { name: string; rules: AlertRule[] }[];
}

/** The alerting rules of the shipped rules file, in order. */
export function alertRules(): AlertRule[] {
  return rulesDoc().groups.flatMap((g) => g.rules);
}

/** The rules file's text with every `for:` set to `duration`; nothing else changes. */
export function rulesWithFor(duration: string): string {
  const text = readFileSync(RULES_FILE, "utf8");
  let count = 0;
  const rewritten = text.replace(/^(\s+for:) \S+$/gm, (_line, key: string) => {
    count++;
    return `${key} ${duration}`;
  });
  const expected = alertRules().filter((r) => r.for !== undefined).length;
  if (count !== expected) throw new Error(`rewrote ${count} for: lines, expected ${expected}`);
  return rewritten;
}

/** One PromQL query of the dashboard. */
export interface DashboardQuery {
  readonly panel: string;
  readonly refId: string;
  /** As written in the dashboard, with Grafana's variables. */
  readonly expr: string;
  /** As Grafana sends it: `$instance` is every instance, `$__rate_interval` and `$__range` given. */
  readonly query: string;
}

/** Every target's expression in the dashboard, panel by panel. */
export function dashboardQueries(
  vars: { rateInterval: string; range: string } = { rateInterval: "1m", range: "1h" },
): DashboardQuery[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, "utf8")) as {
    panels: { title: string; targets?: { refId: string; expr: string }[] }[];
  };
  return dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map((t) => ({
      panel: panel.title,
      refId: t.refId,
      expr: t.expr,
      query: t.expr
        .replaceAll("$__rate_interval", vars.rateInterval)
        .replaceAll("$__range", vars.range)
        .replaceAll("$instance", ".+"),
    })),
  );
}

// --- internal ---

function rulesDoc(): RulesDoc {
  return load(readFileSync(RULES_FILE, "utf8")) as RulesDoc;
}
