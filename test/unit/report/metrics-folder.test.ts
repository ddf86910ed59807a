import assert from "node:assert/strict";
import {
  chmodSync,
  chownSync,
  lchownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { exportMetrics, writeMetricsFile } from "../../../src/report/metrics-file.js";
import { validateSettings } from "../../../src/settings/validate.js";
import { EMPTY_STATE } from "../../../src/state/shape.js";

const asRoot = process.getuid?.() === 0;
const rootOnly = asRoot ? {} : { skip: "needs root (chown to another user)" };
const NOBODY = 65534;
const dir = () => mkdtempSync(join(tmpdir(), "wgem-metrics-folder-"));

test("a folder others can write is refused, and nothing is written in it", async () => {
  const d = dir();
  chmodSync(d, 0o1777);
  await assert.rejects(writeMetricsFile(join(d, "wgem.prom"), "a 1\n"), {
    message: `${join(d, "wgem.prom")}: cannot write the metrics: the folder ${d} is writable by group or others (mode 1777); refusing it (chmod go-w ${d})`,
  });
  assert.deepEqual(readdirSync(d), []);
});

test("a folder owned by another user is refused", rootOnly, async () => {
  const d = dir();
  chownSync(d, NOBODY, NOBODY);
  await assert.rejects(writeMetricsFile(join(d, "wgem.prom"), "a 1\n"), {
    message: new RegExp(`the folder ${d} is owned by UID ${NOBODY}, not root; refusing it`),
  });
});

test("a symbolic link to the folder planted by another user is refused", rootOnly, async () => {
  const d = dir();
  mkdirSync(join(d, "real"), { mode: 0o755 });
  symlinkSync(join(d, "real"), join(d, "link"));
  lchownSync(join(d, "link"), NOBODY, NOBODY);
  await assert.rejects(writeMetricsFile(join(d, "link", "wgem.prom"), "a 1\n"), {
    message: new RegExp(`is a symbolic link owned by UID ${NOBODY}, not root; refusing it`),
  });
  assert.deepEqual(readdirSync(join(d, "real")), []);
});

test("metrics.textfileMode sets the file's mode; 0644 without it", async () => {
  const d = dir();
  const timing = { at: 0, durationMs: 1 };
  assert.deepEqual(await exportMetrics(join(d, "a.prom"), EMPTY_STATE, timing), []);
  assert.deepEqual(await exportMetrics(join(d, "b.prom"), EMPTY_STATE, timing, 0o640), []);
  assert.equal(statSync(join(d, "a.prom")).mode & 0o777, 0o644);
  assert.equal(statSync(join(d, "b.prom")).mode & 0o777, 0o640);
});

test("metrics.textfileMode: an octal string root can read and write, nobody else write", () => {
  for (const ok of ["0644", "0640", "0600", "644"])
    assert.equal(
      validateSettings({ metrics: { textfileMode: ok } }, "x.json").metrics.textfileMode,
      ok,
    );
  for (const bad of ["0666", "0755", "0400", "rw-r--r--", 420]) {
    assert.throws(() => validateSettings({ metrics: { textfileMode: bad } }, "x.json"), {
      message: /^x\.json: metrics\.textfileMode: expected an octal file mode as a string/,
    });
  }
});
