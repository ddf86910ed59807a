/**
 * End-to-end: the cron run over each corpus file that wg accepts and that has nothing to manage
 * (servers whose peers have no Endpoint, provider files with literal endpoints, files wg-quick
 * has already saved) prints nothing and exits 0: cron mails whatever is printed, every minute.
 * One lab; the built tool runs in its client namespace with --config-dir on a folder holding
 * just that one file.
 */
import assert from "node:assert/strict";
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { corpusFiles, corpusPath, expectationFor, readExpectations } from "../support/corpus.js";
import { cron, labFor, labOpts, show } from "./support/cron.js";

const expected = readExpectations();
const quiet = corpusFiles().filter((name) => {
  const want = expectationFor(expected, name);
  return want.wg === "accepts" && want.managed.length === 0;
});

test("cron over each corpus file with nothing to manage: no output, exit 0", labOpts, async (t) => {
  assert.ok(quiet.length >= 15, `${quiet.length} such files`);
  const lab = await labFor(t);
  for (const name of quiet) {
    const dir = join(lab.names.tmpDir, `corpus-${name}`);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await copyFile(corpusPath(name), join(dir, name));
    const result = await cron(t, lab, ["--config-dir", dir]);
    assert.equal(result.exitCode, 0, `${name}: ${show(result)}`);
    assert.equal(result.stdout, "", `${name}: cron must get no mail: ${show(result)}`);
    assert.equal(result.stderr, "", `${name}: cron must get no mail: ${show(result)}`);
  }
});
