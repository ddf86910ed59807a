import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULTS } from "../../../src/settings/schema.js";
import { validateSettings } from "../../../src/settings/validate.js";

const KEY = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
const FILE = "/etc/wg-endpoint-manager/config.json";

test("fills in defaults and keeps what is set", () => {
  const s = validateSettings(
    { family: "ipv4", probe: { timeoutMs: 500 }, peers: { [KEY]: { holdDownSeconds: 0 } } },
    "x.json",
  );
  assert.equal(s.family, "ipv4");
  assert.deepEqual(s.probe, { ...DEFAULTS.probe, timeoutMs: 500 });
  assert.equal(s.peers[KEY]?.holdDownSeconds, 0);
  assert.equal(s.configDir, "/etc/wireguard");
});

test("unknown and ill-typed settings are errors that name the dotted path", () => {
  assert.throws(
    () =>
      validateSettings(
        { probe: { timeoutMs: "2s", retries: 3 }, family: "both", peers: { nope: {} } },
        FILE,
      ),
    {
      message: `${FILE}: probe.timeoutMs: expected an integer 100-60000, got "2s"; probe.retries: unknown setting; family: expected "auto", "ipv4", "ipv6", got "both"; peers: "nope" is not a WireGuard public key`,
    },
  );
});

// The ranges of the README's settings table: [path, min, max].
const RANGES: readonly [string, number, number][] = [
  ["handshakeFreshSeconds", 1, 3600],
  ["holdDownSeconds", 0, 86400],
  ["probe.count", 1, 10],
  ["probe.intervalMs", 10, 10000],
  ["probe.timeoutMs", 100, 60000],
  ["probe.concurrency", 1, 100000],
  ["dns.timeoutMs", 100, 60000],
  ["dns.concurrency", 1, 1024],
  ["verify.timeoutMs", 100, 60000],
  ["verify.failedHoldSeconds", 0, 86400],
  ["watch.intervalSeconds", 5, 86400],
  ["watch.pollMs", 100, 60000],
  ["watch.silenceMs", 200, 600000],
  [`peers.${KEY}.holdDownSeconds`, 0, 86400],
];

test("every number has a range: the ends are accepted, one past them is an error naming it", () => {
  for (const [path, min, max] of RANGES) {
    for (const ok of [min, max]) assert.doesNotThrow(() => validateSettings(at(path, ok), FILE));
    const shown = path.replace(KEY, '"XXSeHNuO…"');
    for (const bad of [min - 1, max + 1, min + 0.5]) {
      assert.throws(() => validateSettings(at(path, bad), FILE), {
        message: `${FILE}: ${shown}: expected an integer ${min}-${max}, got ${bad}`,
      });
    }
  }
});

test("the absurd values of the review are refused by name", () => {
  assert.throws(() => validateSettings({ verify: { timeoutMs: 3000000000 } }, FILE), {
    message: `${FILE}: verify.timeoutMs: expected an integer 100-60000, got 3000000000`,
  });
  assert.throws(() => validateSettings({ watch: { intervalSeconds: 3000000 } }, FILE), {
    message: `${FILE}: watch.intervalSeconds: expected an integer 5-86400, got 3000000`,
  });
});

test("YAML's .inf and .nan are shown as what they are, not as null", () => {
  assert.throws(
    () =>
      validateSettings(
        { probe: { timeoutMs: Number.POSITIVE_INFINITY, count: Number.NaN } },
        "c.yaml",
      ),
    {
      message:
        "c.yaml: probe.timeoutMs: expected an integer 100-60000, got Infinity; probe.count: expected an integer 1-10, got NaN",
    },
  );
});

test("interface names that wg would not take are errors", () => {
  assert.throws(
    () => validateSettings({ interfaces: ["wg0", "-h"], exclude: ["../../etc/passwd", 3] }, FILE),
    {
      message: `${FILE}: interfaces[1]: expected an interface name (1-15 characters of a-z A-Z 0-9 _ = + . -, not starting with "-", not "." or ".."), got "-h"; exclude[0]: expected an interface name (1-15 characters of a-z A-Z 0-9 _ = + . -, not starting with "-", not "." or ".."), got "../../etc/passwd"; exclude[1]: expected an interface name (1-15 characters of a-z A-Z 0-9 _ = + . -, not starting with "-", not "." or ".."), got 3`,
    },
  );
  const ok = validateSettings({ interfaces: ["wg0", "wg_1.a=b+c-d", "x".repeat(15)] }, FILE);
  assert.equal(ok.interfaces.length, 3);
});

test("folders must be absolute: a relative one would be looked up in the working folder", () => {
  assert.throws(() => validateSettings({ configDir: "wireguard", stateDir: "/var/x" }, FILE), {
    message: `${FILE}: configDir: expected an absolute path, got "wireguard"`,
  });
});

test("echoed values are quoted, redacted and shortened; control characters never pass raw", () => {
  const privateKey = "6KlCNMKAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=";
  assert.throws(
    () =>
      validateSettings(
        { family: privateKey, "\u001b]0;pwned\u0007": 1, stateDir: "x-".repeat(50), peers: 1 },
        FILE,
      ),
    {
      message: `${FILE}: family: expected "auto", "ipv4", "ipv6", got "6KlCNMKA…"; "\\u001b]0;pwned\\u0007": unknown setting; stateDir: expected an absolute path, got "${"x-".repeat(30)}…"; peers: expected an object keyed by public key, got 1`,
    },
  );
});

test("a file of garbage gives 20 errors and a count, not a screenful", () => {
  const raw = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`k${i}`, i]));
  const message = (() => {
    try {
      validateSettings(raw, FILE);
      return "";
    } catch (error) {
      return (error as Error).message;
    }
  })();
  assert.equal(message.split("; ").length, 21);
  assert.match(message, /; k19: unknown setting; and 5 more$/);
});

function at(path: string, value: unknown): Record<string, unknown> {
  const parts = path.startsWith("peers.")
    ? ["peers", KEY, path.split(".")[2] ?? ""]
    : path.split(".");
  let out: unknown = value;
  for (const part of parts.reverse()) out = { [part]: out };
  return out as Record<string, unknown>;
}

test("metrics.textfile: an absolute path named NAME.prom; metrics.listen: an IP and a port", () => {
  const ok = validateSettings(
    { metrics: { textfile: "/var/lib/node_exporter/wgem.prom", listen: "[::1]:9777" } },
    FILE,
  );
  assert.deepEqual(ok.metrics, {
    textfile: "/var/lib/node_exporter/wgem.prom",
    textfileMode: "0644",
    listen: "[::1]:9777",
  });
  assert.deepEqual(validateSettings({}, FILE).metrics, { textfileMode: "0644" });
  for (const listen of ["127.0.0.1:9777", "0.0.0.0:1", "[2001:db8::1]:65535"])
    assert.doesNotThrow(() => validateSettings({ metrics: { listen } }, FILE), listen);
  const prom = 'an absolute path to a file named "NAME.prom"';
  for (const textfile of [
    "wgem.prom",
    "/var/lib/x/wgem.txt",
    "/var/lib/x/.prom",
    "/var/lib/x.prom/",
    3,
  ])
    assert.throws(() => validateSettings({ metrics: { textfile } }, FILE), {
      message: `${FILE}: metrics.textfile: expected ${prom}, got ${typeof textfile === "number" ? 3 : `"${textfile}"`}`,
    });
  const listenRule =
    '"IPV4:PORT" or "[IPV6]:PORT" with a port 1-65535 (127.0.0.1:PORT is the safe choice)';
  for (const listen of [
    "localhost:9777",
    "127.0.0.1",
    "::1:9777",
    "127.0.0.1:0",
    "127.0.0.1:65536",
    "[fe80::1%eth0]:1",
    "1.2.3:4",
  ])
    assert.throws(() => validateSettings({ metrics: { listen } }, FILE), {
      message: `${FILE}: metrics.listen: expected ${listenRule}, got "${listen}"`,
    });
});
