import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { validateState } from "../../../src/state/shape.js";
import { loadState, parseState, stateFile } from "../../../src/state/state.js";
import { fixture } from "../../support/paths.js";

const wrong = () => JSON.parse(readFileSync(fixture("state", "wrong-shape.json"), "utf8"));

test("entries of the wrong shape are dropped, each named once; good entries are kept", () => {
  const checked = validateState(wrong());
  assert.ok(checked !== undefined);
  assert.deepEqual(checked.dropped, [
    "wg0/fFZZy7EI…: expected an object",
    "wg0/XXSeHNuO…: last.probes: expected a list",
    "wg1/SkTpT4Zp…: last.probes.0.alive: expected true or false",
    "no-slash: not of the form IFACE/PUBLICKEY",
    "wg2/ywySCY1e…: failedUntil.192.0.2.1: expected a number",
  ]);
  assert.deepEqual(Object.keys(checked.state.peers), [
    "wg1/XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=",
  ]);
});

test("the realistic state fixture is accepted whole", () => {
  const text = readFileSync(fixture("state", "state.json"), "utf8");
  const checked = validateState(JSON.parse(text));
  assert.deepEqual(checked?.dropped, []);
  assert.deepEqual(checked?.state, JSON.parse(text));
});

test("loadState drops bad entries with one warning and never throws", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wgem-state-"));
  copyFileSync(fixture("state", "wrong-shape.json"), stateFile(dir));
  const loaded = await loadState(dir);
  assert.equal(Object.keys(loaded.state.peers).length, 1);
  assert.equal(
    loaded.warning,
    `${stateFile(dir)}: dropped 5 entries of the wrong shape (wg0/fFZZy7EI…: expected an object; ` +
      "wg0/XXSeHNuO…: last.probes: expected a list; wg1/SkTpT4Zp…: last.probes.0.alive: " +
      "expected true or false; and 2 more); the next pass learns them again",
  );
});

test("a peer that is a string, probes that is a number", () => {
  const key = "wg0/XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
  assert.deepEqual(parseState(JSON.stringify({ version: 1, peers: { [key]: "garbage" } })), {
    version: 1,
    peers: {},
  });
  const last = { at: 1, hostname: "h", latestHandshake: 0, probes: 5, action: "keep" };
  const checked = validateState({ version: 1, peers: { [key]: { failedUntil: {}, last } } });
  assert.deepEqual(checked?.dropped, ["wg0/XXSeHNuO…: last.probes: expected a list"]);
});

test("control characters and whole keys never reach the warning", () => {
  const key = `wg0\u001b]0;pwned\u0007/${"A".repeat(43)}=`;
  const checked = validateState({ version: 1, peers: { [key]: 1 } });
  assert.deepEqual(checked?.dropped, ["wg0?]0;pwned?/AAAAAAAA…: expected an object"]);
});

test("a value that is not a state at all is undefined", () => {
  for (const value of [null, [], 5, { version: 2, peers: {} }, { version: 1, peers: [] }])
    assert.equal(validateState(value), undefined, JSON.stringify(value));
});

test("the fleet fixture (counters, since-when, up, DNS error, fallback) is accepted whole", () => {
  const text = readFileSync(fixture("state", "fleet.json"), "utf8");
  const checked = validateState(JSON.parse(text));
  assert.deepEqual(checked?.dropped, []);
  assert.deepEqual(checked?.state, JSON.parse(text));
});

test("the metrics' counters must be whole numbers; up present, true or false; fallback an object", () => {
  const key = "wg0/XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
  const last = {
    at: 1,
    hostname: "h",
    latestHandshake: 0,
    probes: [],
    action: "keep",
    reason: "",
    up: true,
  };
  const cases: [object, string][] = [
    [{ changes: -1 }, "changes: expected a whole number"],
    [{ verifyFailures: 1.5 }, "verifyFailures: expected a whole number"],
    [{ endpointSince: "now" }, "endpointSince: expected a number"],
    [{ last: { ...last, up: "yes" } }, "last.up: expected true or false"],
    [{ last: { ...last, up: undefined } }, "last.up: expected true or false"],
    [{ last: { ...last, fallback: 7 } }, "last.fallback: expected an object"],
    [{ last: { ...last, dnsError: false } }, "last.dnsError: expected a string"],
  ];
  for (const [fields, problem] of cases) {
    const checked = validateState({ version: 1, peers: { [key]: { failedUntil: {}, ...fields } } });
    assert.deepEqual(checked?.dropped, [`wg0/XXSeHNuO…: ${problem}`]);
  }
});
