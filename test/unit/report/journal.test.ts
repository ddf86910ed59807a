import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { journalStreams, type LineStreams, writeLine } from "../../../src/report/journal.js";
import { createLog } from "../../../src/report/log.js";
import { fakeWgDir } from "../../support/main-fake-wg.js";
import { fixture, repoRoot } from "../../support/paths.js";

/** Streams that keep what was written to each, the journal on both or neither. */
function captured(journal: boolean): LineStreams & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    ...(journal ? { journal: { stdout: true, stderr: true } } : {}),
  };
}

test("JOURNAL_STREAM names the journal only for the fds whose device and inode it gives", () => {
  const stat = (fd: number) =>
    fd === 1 ? { dev: 64769n, ino: 4711n } : fd === 2 ? { dev: 64769n, ino: 9n } : undefined;
  assert.deepEqual(journalStreams("64769:4711", stat), { stdout: true, stderr: false });
  assert.deepEqual(journalStreams("64769:9", stat), { stdout: false, stderr: true });
  assert.deepEqual(journalStreams("1:4711", stat), { stdout: false, stderr: false });
  for (const value of [undefined, "", "64769", "a:b", "64769:4711:1"])
    assert.equal(journalStreams(value, stat), undefined, String(value));
});

test("on the journal every line carries its priority: <3> error, <4> warning, <6> change, <7> info", () => {
  const s = captured(true);
  writeLine(s, "error", "wg0: error: wg not found");
  writeLine(s, "warning", "warning: two lines\nthe second");
  writeLine(s, "change", "wg0 peer AAAAAAAA: moved");
  writeLine(s, "info", "wg0 peer AAAAAAAA: Candidate addresses: 192.0.2.1");
  assert.deepEqual(s.err, [
    "<3>wg0: error: wg not found\n",
    "<4>warning: two lines\n<4>the second\n",
  ]);
  assert.deepEqual(s.out, [
    "<6>wg0 peer AAAAAAAA: moved\n",
    "<7>wg0 peer AAAAAAAA: Candidate addresses: 192.0.2.1\n",
  ]);
});

test("elsewhere (a terminal, cron) the text is unchanged", () => {
  const s = captured(false);
  writeLine(s, "error", "wg0: error: wg not found");
  writeLine(s, "change", "moved");
  assert.deepEqual([s.err, s.out], [["wg0: error: wg not found\n"], ["moved\n"]]);
});

test("the watch log puts the priority before its text and before its JSON objects", () => {
  const text = captured(true);
  createLog("text", "normal", text).line({ level: "warning", text: "warning: slow" });
  assert.deepEqual(text.err, ["<4>warning: slow\n"]);
  const json = captured(true);
  createLog("json", "verbose", json, () => 0).line({ level: "info", text: "checked" });
  assert.deepEqual(json.out, [
    '<7>{"time":"1970-01-01T00:00:00.000Z","level":"info","message":"checked"}\n',
  ]);
});

test("the real process: prefixes on a stream JOURNAL_STREAM names, none when the output went elsewhere", () => {
  const dir = mkdtempSync(join(tmpdir(), "wgem-journal-"));
  const run = (argv: string[], journal: (dev: bigint, ino: bigint) => string | undefined) => {
    const file = join(dir, `out-${Math.random()}`);
    const fd = openSync(file, "wx", 0o600);
    const { dev, ino } = fstatSync(fd, { bigint: true });
    const value = journal(dev, ino);
    const env = { PATH: fakeWgDir("exit 0"), ...(value ? { JOURNAL_STREAM: value } : {}) };
    const bin = join(repoRoot, "dist", "bin", "bin.js");
    spawnSync(process.execPath, [bin, ...argv], {
      env,
      stdio: ["ignore", fd, fd],
      timeout: 20_000,
    });
    closeSync(fd);
    return readFileSync(file, "utf8");
  };
  const usage = ["--family", "ipv5"];
  const state = mkdtempSync(join(tmpdir(), "wgem-state-"));
  const missing = ["--config-dir", fixture("conf"), "--state-dir", state, "--interface", "nosuch0"];
  const journal = (dev: bigint, ino: bigint) => `${dev}:${ino}`;
  assert.equal(
    run(usage, journal),
    "<3>wg-endpoint-manager: --family ipv5: expected auto, ipv4 or ipv6\n",
  );
  assert.equal(
    run(missing, journal),
    `<3>error: interface nosuch0 (--interface or the interfaces setting): no ${fixture("conf")}/nosuch0.conf, and no systemd-networkd or NetworkManager file describes it\n`,
  );
  assert.equal(
    run(usage, () => undefined),
    "wg-endpoint-manager: --family ipv5: expected auto, ipv4 or ipv6\n",
  );
  assert.equal(
    run(usage, (dev, ino) => `${dev}:${ino + 1n}`),
    "wg-endpoint-manager: --family ipv5: expected auto, ipv4 or ipv6\n",
  );
});
