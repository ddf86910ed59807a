import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../../support/paths.js";

// The review's finding: root running the tool in /tmp or in someone's checkout ran their code.
// This runs the built tool, as cron and sudo do, in a folder holding every kind of settings
// file cosmiconfig used to find there. Each script leaves a marker if it ever runs; each data
// file is invalid, so reading it would fail the run.

const BIN = join(repoRoot, "dist", "bin", "bin.js");

function hostileFolder(): { dir: string; markers: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "wgem-hostile-"));
  const markers: string[] = [];
  const script = (name: string, esm = false) => {
    const marker = join(dir, `ran-${name.replace(/[/.]/g, "_")}`);
    markers.push(marker);
    const body = `writeFileSync(${JSON.stringify(marker)}, "ran");`;
    const code = esm
      ? `import { writeFileSync } from "node:fs"; ${body} export default {};`
      : `const { writeFileSync } = require("node:fs"); ${body} module.exports = {};`;
    writeFileSync(join(dir, name), code);
  };
  mkdirSync(join(dir, ".config"));
  script(".config/config.js");
  script("wg-endpoint-manager.config.js");
  script(".wg-endpoint-managerrc.cjs");
  script("wg-endpoint-manager.config.mjs", true);
  script("evil.js");
  writeFileSync(join(dir, ".wg-endpoint-managerrc.yaml"), "$import: ./evil.js\nbogus: 1\n");
  writeFileSync(join(dir, ".wg-endpoint-managerrc"), '{"configDir": "/nonexistent", "x": 1}\n');
  writeFileSync(join(dir, "package.json"), '{"wg-endpoint-manager": {"bogus": 1}}\n');
  return { dir, markers };
}

function status(cwd: string, extra: string[] = []) {
  const state = mkdtempSync(join(tmpdir(), "wgem-state-"));
  const r = spawnSync(process.execPath, [BIN, "status", "--state-dir", state, ...extra], {
    cwd,
    encoding: "utf8",
    timeout: 20_000,
  });
  return { ...r, state };
}

test("nothing in the working folder is read or run", () => {
  const { dir, markers } = hostileFolder();
  const r = status(dir);
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, `no peers recorded yet in ${r.state}; run wg-endpoint-manager once\n`);
  assert.equal(r.status, 0);
  for (const marker of markers) assert.equal(existsSync(marker), false, `${marker}: code ran`);
});

test("nor with --config FILE (cosmiconfig's meta file used to run even then)", () => {
  const { dir, markers } = hostileFolder();
  const settings = mkdtempSync(join(tmpdir(), "wgem-config-"));
  writeFileSync(join(settings, "c.yaml"), "family: ipv4\n");
  const r = status(dir, ["--config", join(settings, "c.yaml")]);
  assert.equal(r.stderr, "");
  assert.equal(r.status, 0);
  for (const marker of markers) assert.equal(existsSync(marker), false, `${marker}: code ran`);
});
