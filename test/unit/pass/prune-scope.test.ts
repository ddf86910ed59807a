import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseConf } from "../../../src/discover/parse-conf.js";
import type { Problem } from "../../../src/model.js";
import { pruneScope } from "../../../src/pass/prune-scope.js";
import { pruneState } from "../../../src/state/prune.js";
import type { State } from "../../../src/state/shape.js";
import { parseState } from "../../../src/state/state.js";
import { fixture } from "../../support/paths.js";

// fixtures/state/state.json holds wg0/fFZZy7EI… and wg1/XXSeHNuO…; wg0.conf has XXSeHNuO… and others.
const state = (): State => {
  const parsed = parseState(readFileSync(fixture("state", "state.json"), "utf8"));
  assert.ok(parsed !== undefined);
  return parsed;
};
const conf = (iface: string) =>
  parseConf(
    readFileSync(fixture("conf", "wg0.conf"), "utf8"),
    `/etc/wireguard/${iface}.conf`,
    iface,
  );
const all = { include: [], exclude: [] };

test("peers no longer in any config file are forgotten", () => {
  const scope = pruneScope({ interfaces: [conf("wg0"), conf("wg1")], problems: [] }, all);
  assert.deepEqual(Object.keys(pruneState(state(), scope).peers), [
    "wg1/XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=",
  ]);
});

test("an interface whose file is gone is forgotten whole", () => {
  const scope = pruneScope({ interfaces: [conf("wg0")], problems: [] }, all);
  assert.deepEqual(pruneState(state(), scope).peers, {});
});

test("-i wg0 does not forget wg1, nor does --exclude wg1", () => {
  for (const filter of [
    { include: ["wg0"], exclude: [] },
    { include: [], exclude: ["wg1"] },
  ]) {
    const scope = pruneScope({ interfaces: [conf("wg0")], problems: [] }, filter);
    assert.deepEqual(Object.keys(pruneState(state(), scope).peers), [
      "wg1/XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=",
    ]);
  }
});

test("an interface whose file could not be read this time keeps its entries", () => {
  const unreadable: Problem = {
    severity: "warning",
    kind: "config",
    message: "not a regular file (a FIFO); file skipped",
    at: { file: "/etc/wireguard/wg1.conf" },
  };
  const scope = pruneScope({ interfaces: [conf("wg0")], problems: [unreadable] }, all);
  assert.deepEqual(Object.keys(pruneState(state(), scope).peers), [
    "wg1/XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=",
  ]);
});

test("a folder that cannot be read forgets nothing", () => {
  const missing: Problem = {
    severity: "error",
    kind: "environment",
    message: "/etc/wireguard does not exist",
  };
  const before = state();
  assert.equal(
    pruneState(before, pruneScope({ interfaces: [], problems: [missing] }, all)),
    before,
  );
});

test("nothing to forget: the very same state comes back (so it is not written again)", () => {
  const before = state();
  const scope = pruneScope({ interfaces: [], problems: [] }, { include: ["wg9"], exclude: [] });
  assert.equal(pruneState(before, scope), before);
});
