import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadSettings } from "../../../src/settings/load.js";
import { DEFAULTS } from "../../../src/settings/schema.js";

const asRoot = process.getuid?.() === 0;
const rootOnly = asRoot ? {} : { skip: "needs root (chown to another user)" };

function folder(): string {
  return mkdtempSync(join(tmpdir(), "wgem-settings-"));
}

function write(dir: string, name: string, text: string, mode = 0o644): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

async function refusal(explicit: string | undefined, system?: string): Promise<string> {
  try {
    await loadSettings(explicit, system);
  } catch (error) {
    assert.equal((error as Error).name, "SettingsError");
    return (error as Error).message;
  }
  assert.fail("the settings were accepted");
}

test("the system folder: config.json, else config.yaml, else config.yml; none is the defaults", async () => {
  const system = folder();
  assert.deepEqual(await loadSettings(undefined, system), { settings: DEFAULTS, file: undefined });
  assert.equal((await loadSettings(undefined, join(system, "absent"))).file, undefined);
  const yml = write(system, "config.yml", "holdDownSeconds: 9\nfamily: ipv6\n");
  const fromYml = await loadSettings(undefined, system);
  assert.deepEqual([fromYml.file, fromYml.settings.holdDownSeconds], [yml, 9]);
  const other = folder();
  const json = write(other, "config.json", JSON.stringify({ holdDownSeconds: 7 }));
  const fromJson = await loadSettings(undefined, other);
  assert.deepEqual([fromJson.file, fromJson.settings.holdDownSeconds], [json, 7]);
});

test("two settings files in the system folder: an error, not a silent choice", async () => {
  const system = folder();
  write(system, "config.json", "{}");
  write(system, "config.yaml", "family: ipv4\n");
  assert.equal(
    await refusal(undefined, system),
    `${system}: config.json and config.yaml both hold settings: keep one`,
  );
});

test("a script settings file is refused and never run", async () => {
  const system = folder();
  const marker = join(system, "ran");
  const code = `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "x"); module.exports = {};`;
  const js = write(system, "config.js", code);
  const advice =
    "settings are data (JSON or YAML), never run as code: write them as config.json or config.yaml";
  assert.equal(await refusal(undefined, system), `${js}: ${advice}`);
  const mjs = write(system, "other.mjs", code);
  assert.equal(await refusal(mjs), `${mjs}: ${advice}`);
  assert.equal(existsSync(marker), false, "the script ran");
});

test("--config FILE is used as given; a missing one is a clear error", async () => {
  const dir = folder();
  const file = write(dir, "mine.json", JSON.stringify({ stateDir: "/tmp/x" }));
  assert.equal((await loadSettings(file, dir)).settings.stateDir, "/tmp/x");
  assert.equal(
    await refusal(join(dir, "none.json")),
    `${join(dir, "none.json")}: no such settings file`,
  );
  const rc = write(dir, "settings", "family: ipv4\n");
  assert.equal((await loadSettings(rc)).settings.family, "ipv4", "no extension reads as YAML");
  const empty = write(dir, "empty.yaml", "\n# nothing\n");
  assert.deepEqual(await loadSettings(empty), { settings: DEFAULTS, file: empty });
});

test("YAML includes are not followed: $import is an unknown setting", async () => {
  const dir = folder();
  write(dir, "base.yaml", "stateDir: /tmp/elsewhere\n");
  const file = write(dir, "c.yaml", "$import: ./base.yaml\nfamily: ipv4\n");
  assert.equal(await refusal(file), `${file}: "$import": unknown setting`);
});

test("YAML is plain data: no tags that build objects", async () => {
  const dir = folder();
  const file = write(dir, "c.yaml", "family: !!js/function 'function () {}'\n");
  assert.match(await refusal(file), /c\.yaml:1:\d+: not valid YAML: unknown tag !<tag:yaml/);
});

test("a parse error names file, line and column, and does not quote the file", async () => {
  const dir = folder();
  const json = write(dir, "c.json", '{\n  "family": "ipv4",\n}\n');
  assert.equal(
    await refusal(json),
    `${json}:3:1: not valid JSON: Expected double-quoted property name`,
  );
  const key = "aKlCNMKAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=";
  const quoted = write(dir, "k.json", `${key}`);
  const message = await refusal(quoted);
  assert.ok(!message.includes("xxxxxxxx"), message);
  assert.equal(message, `${quoted}: not valid JSON: Unexpected token 'a'`);
  const yaml = write(dir, "c.yaml", "family: ipv4\n  holdDownSeconds: 3\n");
  assert.equal(
    await refusal(yaml),
    `${yaml}:2:18: not valid YAML: bad indentation of a mapping entry`,
  );
});

test("YAML .inf is reported as Infinity", async () => {
  const dir = folder();
  const file = write(dir, "c.yaml", "verify:\n  timeoutMs: .inf\n");
  assert.equal(
    await refusal(file),
    `${file}: verify.timeoutMs: expected an integer 100-60000, got Infinity`,
  );
});

test("a settings file others can write is refused (sshd StrictModes)", async () => {
  const dir = folder();
  const group = write(dir, "g.json", "{}", 0o664);
  assert.equal(
    await refusal(group),
    `${group}: can be written by its group (mode 0664): run chmod go-w ${group}`,
  );
  const others = write(dir, "o.json", "{}", 0o646);
  assert.equal(
    await refusal(others),
    `${others}: can be written by others (mode 0646): run chmod go-w ${others}`,
  );
  const both = write(dir, "b.yaml", "{}", 0o666);
  assert.equal(
    await refusal(both),
    `${both}: can be written by group and others (mode 0666): run chmod go-w ${both}`,
  );
});

test("a settings file not owned by root is refused", rootOnly, async () => {
  const dir = folder();
  const file = write(dir, "c.json", "{}");
  chownSync(file, 65534, 65534);
  assert.equal(
    await refusal(file),
    `${file}: is owned by uid 65534, not root: run chown root ${file}`,
  );
  const system = folder();
  chownSync(write(system, "config.yaml", "family: ipv4\n"), 65534, 0);
  assert.match(await refusal(undefined, system), /config\.yaml: is owned by uid 65534, not root/);
});

test("a symbolic link, a folder, a FIFO and an oversized file are refused", async () => {
  const dir = folder();
  const real = write(dir, "real.json", "{}");
  const link = join(dir, "link.json");
  symlinkSync(real, link);
  assert.equal(
    await refusal(link),
    `${link}: is a symbolic link; settings are read from the file itself: give its real path`,
  );
  const sub = join(dir, "sub.json");
  mkdirSync(sub);
  assert.equal(await refusal(sub), `${sub}: is a directory, not a regular file`);
  const fifo = join(dir, "fifo.yaml");
  execFileSync("mkfifo", [fifo]);
  // Without O_NONBLOCK and the type check, this would wait for a writer forever.
  assert.equal(await refusal(fifo), `${fifo}: is a FIFO, not a regular file`);
  const big = write(dir, "big.yaml", `# ${"x".repeat(1024 * 1024)}\n`);
  assert.equal(await refusal(big), `${big}: is 1048579 bytes; settings are at most 1 MiB`);
  const system = folder();
  symlinkSync(real, join(system, "config.json"));
  assert.match(await refusal(undefined, system), /config\.json: is a symbolic link/);
});
