import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadSettings } from "../../../src/settings/load.js";
import { DEFAULTS } from "../../../src/settings/schema.js";
import { validateSettings } from "../../../src/settings/validate.js";

const KEY = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";

test("fills in defaults and keeps what is set", () => {
  const s = validateSettings(
    { family: "ipv4", probe: { timeoutMs: 500 }, peers: { [KEY]: { holdDownSeconds: 0 } } },
    "x.json",
  );
  assert.equal(s.family, "ipv4");
  assert.deepEqual(s.probe, { ...DEFAULTS.probe, timeoutMs: 500 });
  assert.equal(s.peers[KEY]?.holdDownSeconds, 0);
  assert.equal(s.configDir, "/etc/wireguard");
});

test("unknown and ill-typed settings are errors that name the dotted path", () => {
  assert.throws(
    () =>
      validateSettings(
        { probe: { timeoutMs: "2s", retries: 3 }, family: "both", peers: { nope: {} } },
        "/etc/wg-endpoint-manager/config.json",
      ),
    {
      message:
        '/etc/wg-endpoint-manager/config.json: probe.timeoutMs: expected a positive integer, got "2s"; probe.retries: unknown setting; family: expected "auto", "ipv4", "ipv6", got "both"; peers: "nope" is not a WireGuard public key',
    },
  );
});

test("finds an rc file in the working folder before the system folder", async () => {
  const cwd = mkdtempSync(join(tmpdir(), "wgem-settings-"));
  const system = mkdtempSync(join(tmpdir(), "wgem-system-"));
  writeFileSync(join(system, "config.json"), JSON.stringify({ holdDownSeconds: 7 }));
  const fromSystem = await loadSettings(undefined, cwd, system);
  assert.equal(fromSystem.settings.holdDownSeconds, 7);
  assert.equal(fromSystem.file, join(system, "config.json"));
  writeFileSync(join(cwd, ".wg-endpoint-managerrc.yaml"), "holdDownSeconds: 9\nfamily: ipv6\n");
  const fromCwd = await loadSettings(undefined, cwd, system);
  assert.deepEqual([fromCwd.settings.holdDownSeconds, fromCwd.settings.family], [9, "ipv6"]);
});

test("--config FILE is used as given, and a missing one is a clear error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wgem-explicit-"));
  const file = join(dir, "mine.json");
  writeFileSync(file, JSON.stringify({ stateDir: "/tmp/x" }));
  assert.equal((await loadSettings(file, dir, dir)).settings.stateDir, "/tmp/x");
  await assert.rejects(loadSettings(join(dir, "none.json"), dir, dir), {
    message: `${join(dir, "none.json")}: no such settings file`,
  });
});
