/**
 * contrib/config.schema.json, which editors use (yaml-language-server), is made from the
 * validator's own definitions and judges settings as the validator does. The judge of the schema
 * is python3-jsonschema, not our code.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { SCHEMA_INSTALLED, settingsJsonSchema } from "../../../src/settings/json-schema.js";
import { validateSettings } from "../../../src/settings/validate.js";
import { judgeBySchema } from "../../support/json-schema-judge.js";
import { repoRoot } from "../../support/paths.js";

const SCHEMA_FILE = join(repoRoot, "contrib", "config.schema.json");
const SHIPPED: unknown = JSON.parse(readFileSync(SCHEMA_FILE, "utf8"));
const KEY = "fFZZy7EIFsMwoOLXJgeJOV3S0XAB9VaW7Ig7Dq12zCI=";

function validatorAccepts(settings: unknown): boolean {
  try {
    validateSettings(settings, "test");
    return true;
  } catch {
    return false;
  }
}

/** Values for each setting, good and bad, that a schema can judge as the validator does. */
const POOLS: Record<string, { good: readonly unknown[]; bad: readonly unknown[] }> = {
  configDir: { good: ["/etc/wireguard"], bad: ["etc/wireguard", "", 5, null] },
  stateDir: { good: ["/var/lib/wg-endpoint-manager"], bad: ["./state"] },
  interfaces: {
    good: [[], ["wg0"], ["wg0", "wg.1"]],
    bad: [["-wg"], [".."], ["a".repeat(16)], "wg0", [1]],
  },
  exclude: { good: [["wg9"]], bad: [[""], ["wg/0"]] },
  family: { good: ["auto", "ipv4", "ipv6"], bad: ["IPv6", 4] },
  handshakeFreshSeconds: { good: [1, 3_600], bad: [0, 3_601, 1.5, "135", true] },
  holdDownSeconds: { good: [0, 86_400], bad: [86_401, -1] },
  probe: {
    good: [{}, { count: 10 }, { timeoutMs: 60_000 }],
    bad: [{ count: 11 }, { intervalMs: 9 }, { concurrency: 0 }, { pings: 3 }, "fast", null],
  },
  dns: { good: [{ concurrency: 1_024 }], bad: [{ timeoutMs: 99 }, { concurrency: 1_025 }] },
  verify: { good: [{ timeoutMs: 11_000 }], bad: [{ failedHoldSeconds: -5 }, []] },
  watch: {
    good: [{ intervalSeconds: 5 }, { silenceMs: 200 }],
    bad: [{ intervalSeconds: 4 }, { pollMs: 60_001 }, { ttlFloorSeconds: 0 }],
  },
  metrics: {
    good: [
      {},
      { textfile: "/var/lib/prometheus/node-exporter/wgem.prom" },
      { listen: "127.0.0.1:9586" },
      { listen: "[::1]:9586" },
    ],
    bad: [
      { textfile: "wgem.prom" },
      { textfile: "/x/.wgem.prom" },
      { textfile: "/x/wgem.txt" },
      { textfile: "/x/wgem.prom/" },
      { listen: "localhost:9586" },
      { listen: "127.0.0.1" },
      { port: 9586 },
    ],
  },
  peers: {
    good: [
      {},
      { [KEY]: {} },
      { [KEY]: { family: "ipv4", holdDownSeconds: 600, ignore: false } },
      { [KEY]: { verifyAddress: "172.25.1.1" } },
      { [KEY]: { verifyAddress: "fd00::1" } },
      { [KEY]: { fallbackEndpoints: ["vpn.example.com:443", "[2001:db8::9]:51820"] } },
    ],
    bad: [
      { [KEY]: { verifyAddress: "" } },
      { [KEY]: { verifyAddress: "tunnel.example" } },
      { [KEY]: { verifyAddress: "10.0.0.1/32" } },
      { [KEY]: { verifyAddress: "10.0.0.256" } },
      { [KEY]: { ignore: "yes" } },
      { [KEY]: { fallbackEndpoints: ["a:1", "b:2", "c:3", "d:4", "e:5"] } },
      { [KEY]: { fallbackEndpoints: ["vpn.example.com"] } },
      { [KEY]: { fallbackEndpoints: "vpn.example.com:443" } },
      { [KEY]: { shout: true } },
      { "not-a-key": {} },
      { [KEY]: "ignore" },
    ],
  },
  unknownSetting: { good: [], bad: [1] },
};

test("contrib/config.schema.json is what the validator's definitions make (npm run generate)", () => {
  assert.deepEqual(SHIPPED, settingsJsonSchema());
});

test("each pool value alone: the schema (python3-jsonschema) and the validator agree", () => {
  const documents: unknown[] = Object.entries(POOLS).flatMap(([key, { good, bad }]) =>
    [...good, ...bad].map((value) => ({ [key]: value })),
  );
  documents.push({}, [], "configDir: /etc", null);
  const bySchema = judgeBySchema(SHIPPED, documents);
  const disagree = documents.filter((d, i) => bySchema[i] !== validatorAccepts(d));
  assert.deepEqual(disagree, []);
  // Not a vacuous agreement: both verdicts occur.
  assert.ok(bySchema.includes(true) && bySchema.includes(false));
});

test("random settings files made of the pools: the schema and the validator agree on every one", () => {
  // Mostly good values, so that whole files pass too; any bad one must fail both.
  const value = ({ good, bad }: (typeof POOLS)[string]) =>
    good.length === 0
      ? fc.constantFrom(...bad)
      : fc.oneof(
          { arbitrary: fc.constantFrom(...good), weight: 12 },
          { arbitrary: fc.constantFrom(...bad), weight: 1 },
        );
  const record = fc.record(
    Object.fromEntries(Object.entries(POOLS).map(([k, pool]) => [k, value(pool)])),
    { requiredKeys: [] },
  );
  const documents = fc.sample(record, { numRuns: 400, seed: 19 });
  const bySchema = judgeBySchema(SHIPPED, documents);
  const disagree = documents.filter((d, i) => bySchema[i] !== validatorAccepts(d));
  assert.deepEqual(disagree, []);
  const valid = bySchema.filter((v) => v).length;
  assert.ok(valid > 0 && valid < documents.length, `${valid} of ${documents.length} valid`);
});

test("where a pattern cannot judge (addresses, ports, Endpoints), the schema lets through what the validator refuses, never the reverse", () => {
  const documents = [
    { metrics: { listen: "192.0.2.300:9586" } },
    { metrics: { listen: "127.0.0.1:0" } },
    { metrics: { listen: "127.0.0.1:99999" } },
    { metrics: { listen: "[2001:db8::1::2]:9586" } },
    { peers: { [KEY]: { fallbackEndpoints: ["[2001:db8::1:51820"] } } },
    { peers: { [KEY]: { fallbackEndpoints: ["vpn.example.com:70000"] } } },
    { peers: { [KEY]: { fallbackEndpoints: ["a.example:443", "A.example:443"] } } },
  ];
  assert.deepEqual(
    judgeBySchema(SHIPPED, documents),
    documents.map(() => true),
  );
  assert.deepEqual(
    documents.map(validatorAccepts),
    documents.map(() => false),
  );
});

test("the example settings file points yaml-language-server to the installed schema", () => {
  const example = readFileSync(join(repoRoot, "contrib", "config.yaml"), "utf8");
  assert.equal(
    example.split("\n")[0],
    `# yaml-language-server: $schema=file://${SCHEMA_INSTALLED}`,
  );
  assert.equal((SHIPPED as { $id: string }).$id, `file://${SCHEMA_INSTALLED}`);
});

test("the cron run does not carry the schema's maker: the CLI bundle has none of json-schema.ts", () => {
  const bundle = readFileSync(join(repoRoot, "dist", "bin", "cli.js"), "utf8");
  assert.ok(bundle.includes("validateSettings") || bundle.includes("unknown setting"));
  assert.ok(!bundle.includes("json-schema.org"), "json-schema.ts is in dist/bin/cli.js");
});
