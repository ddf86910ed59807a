import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCommandLine } from "../../../src/cli/args.js";

test("no arguments is one reconcile pass", () => {
  const a = parseCommandLine([]);
  assert.deepEqual(
    [a.command, a.dryRun, a.verbosity, a.interfaces, a.single],
    ["run", false, "normal", [], undefined],
  );
});

test("filters repeat, and --dryrun is accepted beside --dry-run", () => {
  const a = parseCommandLine([
    "--interface",
    "wg0",
    "-i",
    "wg1",
    "--exclude",
    "wg2",
    "--dryrun",
    "-v",
  ]);
  assert.deepEqual(
    [a.interfaces, a.exclude, a.dryRun, a.verbosity],
    [["wg0", "wg1"], ["wg2"], true, "verbose"],
  );
});

test("the original script's flags select one peer", () => {
  const a = parseCommandLine([
    "--interface",
    "wg0",
    "--peer",
    "KEY",
    "--host",
    "vpn.example.test",
    "--port",
    "51820",
  ]);
  assert.deepEqual(a.single, { peer: "KEY", host: "vpn.example.test", port: "51820" });
  assert.throws(() => parseCommandLine(["--peer", "KEY", "--host", "h"]), {
    message: "--peer, --host and --port go together, with exactly one --interface",
  });
});

test("usage errors say what to do", () => {
  assert.throws(
    () => parseCommandLine(["--bogus"]),
    /Unknown option '--bogus'.*; see wg-endpoint-manager --help/,
  );
  assert.throws(() => parseCommandLine(["frobnicate"]), {
    message: 'unknown command "frobnicate"; expected run, status or watch',
  });
  assert.throws(() => parseCommandLine(["-q", "-v"]), {
    message: "--quiet and --verbose exclude each other",
  });
});
