import assert from "node:assert/strict";
import {
  chmodSync,
  chownSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { cacheFile, cacheKey, cacheRole, loadBundle } from "../../../src/cli/code-cache.js";

const root = process.geteuid?.() === 0;
const skip = root ? false : "the code cache is root's only";

/** A bundle that records, in a global, the word it was built with and what require() gave. */
function bundleSaying(dir: string, word: string): string {
  const file = join(dir, "cli.js");
  const body = `globalThis.wgemCodeCacheTest = { word: "${word}", sep: require("node:path").sep, file: __filename };`;
  writeFileSync(file, `#!/usr/bin/env node\n${body}\n`);
  return file;
}

function ran(): { word: string; sep: string; file: string } {
  return (
    globalThis as unknown as { wgemCodeCacheTest: { word: string; sep: string; file: string } }
  ).wgemCodeCacheTest;
}

function setup(): { bundle: string; cacheDir: string } {
  const dir = mkdtempSync(join(tmpdir(), "wgem-code-cache-"));
  return { bundle: bundleSaying(dir, "one"), cacheDir: join(dir, "cache") };
}

test("code cache: written after the first run (root only, mode 0600), used by the next", {
  skip,
}, () => {
  const { bundle, cacheDir } = setup();
  const first = loadBundle(bundle, cacheDir);
  assert.equal(first.cache, "absent");
  first.run();
  assert.deepEqual(ran(), { word: "one", sep: "/", file: bundle });
  first.save();
  const file = cacheFile(cacheDir, bundle);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(cacheDir).mode & 0o777, 0o700);
  assert.ok(readFileSync(file).subarray(0, 40).toString().startsWith("wgem-code-cache 1 node "));
  const second = loadBundle(bundle, cacheDir);
  assert.equal(second.cache, "used");
  second.run();
  assert.equal(ran().word, "one");
  assert.deepEqual(readdirSync(cacheDir), [file.slice(cacheDir.length + 1)]);
});

test("code cache: a rebuilt bundle of the same length never runs the old code", { skip }, () => {
  const { bundle, cacheDir } = setup();
  const first = loadBundle(bundle, cacheDir);
  first.run();
  first.save();
  const dir = join(bundle, "..");
  bundleSaying(dir, "two"); // same length as "one": V8's own check would accept the cache
  const later = new Date(Date.now() + 5_000);
  utimesSync(bundle, later, later);
  const rebuilt = loadBundle(bundle, cacheDir);
  assert.equal(rebuilt.cache, "absent");
  rebuilt.run();
  assert.equal(ran().word, "two");
});

test("code cache: a file others could write, or owned by another user, or a link, is not read", {
  skip,
}, () => {
  const cases: ((file: string) => void)[] = [
    (file) => chmodSync(file, 0o620),
    (file) => chmodSync(file, 0o602),
    (file) => chownSync(file, 65534, 65534),
  ];
  for (const spoil of cases) {
    const { bundle, cacheDir } = setup();
    const first = loadBundle(bundle, cacheDir);
    first.save();
    spoil(cacheFile(cacheDir, bundle));
    assert.equal(loadBundle(bundle, cacheDir).cache, "untrusted");
  }
  const { bundle, cacheDir } = setup();
  loadBundle(bundle, cacheDir).save();
  const file = cacheFile(cacheDir, bundle);
  const elsewhere = `${file}.real`;
  writeFileSync(elsewhere, readFileSync(file), { mode: 0o600 });
  rmSync(file);
  symlinkSync(elsewhere, file);
  assert.equal(loadBundle(bundle, cacheDir).cache, "untrusted");
});

test("code cache: nothing is written into a cache folder others can write", { skip }, () => {
  const { bundle, cacheDir } = setup();
  loadBundle(bundle, cacheDir).save();
  const file = cacheFile(cacheDir, bundle);
  chmodSync(cacheDir, 0o777);
  rmSync(file);
  loadBundle(bundle, cacheDir).save();
  assert.deepEqual(readdirSync(cacheDir), []);
});

test("code cache: the key names Node.js, V8, the architecture and the bundle file", () => {
  const key = cacheKey({ size: 214093, mtimeMs: 1796526000000.5, ino: 42 });
  assert.equal(
    key,
    `wgem-code-cache 1 node ${process.versions.node} v8 ${process.versions.v8} ${process.arch} bundle 214093 1796526000000.5 42\n`,
  );
  assert.equal(
    cacheFile("/var/cache/wg-endpoint-manager", "/usr/lib/wg-endpoint-manager/bin/cli.js"),
    "/var/cache/wg-endpoint-manager/_usr_lib_wg-endpoint-manager_bin_cli.js.v8cache",
  );
});

test("code cache: a pass reads and writes it; --help, --version and status only read it; watch neither", () => {
  for (const argv of [[], ["--dry-run"], ["-i", "wg0", "--json"], ["run", "-v"]])
    assert.equal(cacheRole(argv), "read-write", argv.join(" "));
  for (const argv of [
    ["--version"],
    ["--help"],
    ["-h"],
    ["status"],
    ["status", "--json"],
    ["watch", "--help"],
  ])
    assert.equal(cacheRole(argv), "read", argv.join(" "));
  for (const argv of [["watch"], ["watch", "--verbose"], ["-v", "watch"]])
    assert.equal(cacheRole(argv), "none", argv.join(" "));
});

test("code cache: a run that does not read it compiles without it", { skip }, () => {
  const { bundle, cacheDir } = setup();
  const first = loadBundle(bundle, cacheDir);
  first.run();
  first.save();
  const unread = loadBundle(bundle, cacheDir, false);
  assert.equal(unread.cache, "off");
  unread.run();
  assert.equal(ran().word, "one");
  assert.equal(loadBundle(bundle, cacheDir).cache, "used");
});
