import assert from "node:assert/strict";
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { exportMetrics, writeMetricsFile } from "../../../src/report/metrics-file.js";
import { EMPTY_STATE } from "../../../src/state/shape.js";

const dir = () => mkdtempSync(join(tmpdir(), "wgem-metrics-"));

test("written whole under its name, mode 0644 whatever the umask, no temporary file left", async () => {
  const d = dir();
  const file = join(d, "wgem.prom");
  const umask = process.umask(0o077);
  try {
    await writeMetricsFile(file, "a 1\n");
    await writeMetricsFile(file, "a 2\n");
  } finally {
    process.umask(umask);
  }
  assert.equal(readFileSync(file, "utf8"), "a 2\n");
  assert.equal(statSync(file).mode & 0o777, 0o644);
  assert.deepEqual(readdirSync(d), ["wgem.prom"]);
});

test("a symbolic link planted at the name is replaced, never written through", async () => {
  const d = dir();
  const target = join(d, "victim");
  writeFileSync(target, "precious\n");
  symlinkSync(target, join(d, "wgem.prom"));
  await writeMetricsFile(join(d, "wgem.prom"), "a 1\n");
  assert.equal(readFileSync(target, "utf8"), "precious\n");
  assert.equal(readFileSync(join(d, "wgem.prom"), "utf8"), "a 1\n");
});

test("a missing folder: an error that names the file and says what to do", async () => {
  const file = join(dir(), "nope", "wgem.prom");
  await assert.rejects(writeMetricsFile(file, "a 1\n"), {
    message: `${file}: cannot write the metrics: the folder ${join(file, "..")} does not exist; create it or change metrics.textfile`,
  });
});

test("exportMetrics: nothing without metrics.textfile; a failure is one warning, not an error", async () => {
  const timing = { at: 1764050000000, durationMs: 5 };
  assert.deepEqual(await exportMetrics(undefined, EMPTY_STATE, timing), []);
  const d = dir();
  assert.deepEqual(await exportMetrics(join(d, "w.prom"), EMPTY_STATE, timing), []);
  assert.match(
    readFileSync(join(d, "w.prom"), "utf8"),
    /^wgem_last_pass_timestamp_seconds 1764050000$/m,
  );
  const file = join(d, "missing", "w.prom");
  const problems = await exportMetrics(file, EMPTY_STATE, timing);
  assert.deepEqual(problems, [
    {
      severity: "warning",
      kind: "environment",
      message: `${file}: cannot write the metrics: the folder ${join(d, "missing")} does not exist; create it or change metrics.textfile`,
    },
  ]);
});
