import assert from "node:assert/strict";
import {
  lstatSync,
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
import { replaceFile, writeNewFile } from "../../../src/common/atomic-file.js";

const dir = () => mkdtempSync(join(tmpdir(), "wgem-atomic-"));

test("replaceFile: the new text under the name, its mode exact whatever the umask, nothing else left", async () => {
  const d = dir();
  const file = join(d, "state.json");
  const umask = process.umask(0o077);
  try {
    await replaceFile(file, "one\n", { mode: 0o644, sync: true });
    await replaceFile(file, "two\n", { mode: 0o644, sync: false });
  } finally {
    process.umask(umask);
  }
  assert.equal(readFileSync(file, "utf8"), "two\n");
  assert.equal(statSync(file).mode & 0o777, 0o644);
  assert.deepEqual(readdirSync(d), ["state.json"]);
});

test("replaceFile: a planted symbolic link is replaced, its target never written", async () => {
  const d = dir();
  const target = join(d, "target");
  writeFileSync(target, "keep\n");
  const file = join(d, "state.json");
  symlinkSync(target, file);
  await replaceFile(file, "new\n", { mode: 0o600, sync: false });
  assert.equal(readFileSync(target, "utf8"), "keep\n");
  assert.equal(lstatSync(file).isSymbolicLink(), false);
  assert.equal(readFileSync(file, "utf8"), "new\n");
});

test("replaceFile: a failure throws the error and leaves nothing behind", async () => {
  const d = dir();
  await assert.rejects(replaceFile(join(d, "missing", "x"), "a", { mode: 0o600, sync: false }), {
    code: "ENOENT",
  });
  // A folder in the file's place: the rename fails after the new file was written.
  const folder = mkdtempSync(join(d, "folder-"));
  writeFileSync(join(folder, "inside"), "x");
  await assert.rejects(replaceFile(folder, "a", { mode: 0o600, sync: false }));
  assert.deepEqual(readdirSync(d).sort(), [folder.slice(d.length + 1)]);
});

test("writeNewFile: a new dot name each time, never an existing file", async () => {
  const d = dir();
  const a = await writeNewFile(d, "lock", "1", { mode: 0o600, sync: false });
  const b = await writeNewFile(d, "lock", "2", { mode: 0o600, sync: false });
  assert.notEqual(a, b);
  assert.match(a, /\/\.lock\.[0-9a-f]{12}\.tmp$/);
  assert.equal(readFileSync(b, "utf8"), "2");
  assert.equal(statSync(a).mode & 0o777, 0o600);
});
