import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { MAX_CONF_BYTES } from "../../../src/common/read-regular.js";
import { discover, readInterfaceFile } from "../../../src/discover/discover.js";
import { formatProblem } from "../../../src/report/format.js";
import { fixture } from "../../support/paths.js";

const folder = () => mkdtempSync(join(tmpdir(), "wgem-conf-"));
const all = { include: [], exclude: [] };

test("a FIFO named x.conf is skipped at once with one warning; the other files are read", {
  timeout: 5_000,
}, async () => {
  const dir = folder();
  execFileSync("mkfifo", [join(dir, "x.conf")]);
  copyFileSync(fixture("conf", "wg0.conf"), join(dir, "wg0.conf"));
  const started = performance.now();
  const found = await discover(dir, all);
  assert.ok(performance.now() - started < 1_000, "did not wait for a writer");
  assert.deepEqual(
    found.interfaces.map((i) => i.iface),
    ["wg0"],
  );
  assert.deepEqual(found.problems.map(formatProblem), [
    {
      level: "warning",
      text: `${join(dir, "x.conf")}: warning: not a regular file (a FIFO); file skipped`,
    },
  ]);
});

test("a folder, a device and a file over 1 MiB are skipped, each named", async () => {
  const dir = folder();
  mkdirSync(join(dir, "d.conf"));
  symlinkSync("/dev/zero", join(dir, "z.conf"));
  writeFileSync(join(dir, "big.conf"), Buffer.alloc(MAX_CONF_BYTES + 1, 0x23));
  const messages = async (name: string) => {
    const read = await readInterfaceFile(join(dir, name));
    assert.ok(!("peers" in read), name);
    return `${read.severity}: ${read.message}`;
  };
  assert.equal(await messages("d.conf"), "warning: not a regular file (a directory); file skipped");
  assert.equal(
    await messages("z.conf"),
    "warning: not a regular file (a character device); file skipped",
  );
  assert.equal(await messages("big.conf"), "warning: larger than 1 MiB; file skipped");
});

test("a file of exactly 1 MiB is read, and a symlink to a regular file is followed", async () => {
  const dir = folder();
  const comment = Buffer.alloc(MAX_CONF_BYTES, 0x23);
  comment[MAX_CONF_BYTES - 1] = 0x0a;
  writeFileSync(join(dir, "full.conf"), comment);
  const full = await readInterfaceFile(join(dir, "full.conf"));
  assert.ok("peers" in full, JSON.stringify(full));
  symlinkSync(fixture("conf", "wg0.conf"), join(dir, "wg7.conf"));
  const linked = await readInterfaceFile(join(dir, "wg7.conf"));
  assert.ok("peers" in linked, JSON.stringify(linked));
  assert.equal(linked.peers.length, 4);
});
