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

test("interface names wg would not take are usage errors, in every form", () => {
  const rule = '1-15 characters of a-z A-Z 0-9 _ = + . -, not starting with "-", not "." or ".."';
  const legacy = ["--peer", "KEY", "--host", "h.example", "--port", "51820"];
  assert.throws(() => parseCommandLine(["--interface=-h", ...legacy]), {
    name: "UsageError",
    message: `--interface "-h": not an interface name (${rule})`,
  });
  assert.throws(() => parseCommandLine(["-i", "../../etc/passwd"]), {
    message: `--interface "../../etc/passwd": not an interface name (${rule})`,
  });
  assert.throws(() => parseCommandLine(["status", "-x", ".."]), {
    message: `--exclude "..": not an interface name (${rule})`,
  });
  assert.throws(() => parseCommandLine(["-i", "wg0", "-i", "a-very-long-name"]), {
    message: `--interface "a-very-long-name": not an interface name (${rule})`,
  });
  assert.throws(() => parseCommandLine(["-i", "wg\u001b[2J"]), {
    message: `--interface "wg\\u001b[2J": not an interface name (${rule})`,
  });
  assert.deepEqual(parseCommandLine(["-i", "wg_0.a=b+c-d", "-x", "x".repeat(15)]).interfaces, [
    "wg_0.a=b+c-d",
  ]);
});

test("watch --json is a usage error that points at --log-format json", () => {
  assert.throws(() => parseCommandLine(["watch", "--json"]), {
    name: "UsageError",
    message: "watch has no --json; for one JSON object per line, use --log-format json",
  });
  assert.equal(parseCommandLine(["watch", "--log-format", "json"]).logFormat, "json");
  assert.equal(parseCommandLine(["status", "--json"]).json, true);
});

test("--check goes with status only, and not with --json", () => {
  assert.equal(parseCommandLine(["status", "--check"]).nagios, true);
  assert.equal(parseCommandLine(["status"]).nagios, false);
  assert.throws(() => parseCommandLine(["--check"]), { message: "--check goes with status only" });
  assert.throws(() => parseCommandLine(["watch", "--check"]), {
    message: "--check goes with status only",
  });
  assert.throws(() => parseCommandLine(["status", "--check", "--json"]), {
    message: "--check and --json exclude each other",
  });
});
