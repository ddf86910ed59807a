import assert from "node:assert/strict";
import { chmod, cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { discoverAll } from "../../../src/discover/sources.js";
import { DEFAULTS, type Settings } from "../../../src/settings/schema.js";
import { fixture } from "../../support/paths.js";

const KEY = "Ha/UAZNY4vSsp0h/exydD+o8MjrIQRNFxc9I7YJ4PWU=";

async function host(t: { after: (f: () => Promise<void>) => void }): Promise<Settings> {
  const root = await mkdtemp(join(tmpdir(), "wgem-sources-"));
  t.after(() => rm(root, { recursive: true, force: true }));
  const wireguard = join(root, "wireguard");
  await mkdir(wireguard);
  await writeFile(
    join(wireguard, "wg0.conf"),
    `[Interface]\nPrivateKey = OJC5JFY0RID/Fg8AXh0/IeGbqtYHAAU54o/mWbE1OFc=\n[Peer]\nPublicKey = ${KEY}\nEndpoint = quick.example.test:51820\n`,
  );
  await cp(fixture("managers", "networkd", "run"), join(root, "run-network"), { recursive: true });
  await cp(fixture("managers", "networkd", "etc"), join(root, "etc-network"), { recursive: true });
  const nm = join(root, "nm");
  await cp(fixture("managers", "nm", "run"), nm, { recursive: true });
  for (const f of ["netplan-wg1.nmconnection", "office-runtime.nmconnection"])
    await chmod(join(nm, f), 0o600);
  return {
    ...DEFAULTS,
    configDir: wireguard,
    sources: {
      ...DEFAULTS.sources,
      networkdDirs: [join(root, "etc-network"), join(root, "run-network")],
      networkManagerDirs: [nm],
    },
  };
}

const none = { include: [], exclude: [] };

test("all three sources; wg0 described twice is managed once, from the wg-quick file, and said so", async (t) => {
  const settings = await host(t);
  const found = await discoverAll(settings, none);
  assert.deepEqual(
    found.interfaces.map((c) => [c.iface, c.source]),
    [
      ["wg0", "wg-quick"],
      ["wg99", "networkd"],
      ["wg-office", "networkd"],
      ["wg1", "networkmanager"],
      ["wg-nm", "networkmanager"],
    ],
  );
  const twice = found.problems.filter((p) => p.message.includes("is also described by"));
  assert.deepEqual(
    twice.map((p) => `${p.at?.file.split("/").slice(-2).join("/")}: ${p.message}`),
    [
      `run-network/10-netplan-wg0.netdev: wg0 is also described by ${settings.configDir}/wg0.conf (wg-quick); managed from that file only (wg-quick files come first, then systemd-networkd, then NetworkManager), this systemd-networkd file is not used`,
    ],
  );
});

test("filters apply to every source; a source can be turned off", async (t) => {
  const settings = await host(t);
  const only = await discoverAll(settings, { include: ["wg1", "wg99"], exclude: [] });
  assert.deepEqual(
    only.interfaces.map((c) => c.iface),
    ["wg99", "wg1"],
  );
  const excluded = await discoverAll(settings, { include: [], exclude: ["wg-office", "wg0"] });
  assert.deepEqual(
    excluded.interfaces.map((c) => c.iface),
    ["wg99", "wg1", "wg-nm"],
  );
  const off = {
    ...settings,
    sources: { ...settings.sources, wgQuick: false, networkManager: false },
  };
  const networkdOnly = await discoverAll(off, none);
  assert.deepEqual(
    networkdOnly.interfaces.map((c) => [c.iface, c.source]),
    [
      ["wg0", "networkd"],
      ["wg99", "networkd"],
      ["wg-office", "networkd"],
    ],
  );
});

test("no /etc/wireguard at all is no problem when a manager describes an interface; nothing anywhere is", async (t) => {
  const settings = await host(t);
  const missing = { ...settings, configDir: join(settings.configDir, "absent") };
  const found = await discoverAll(missing, none);
  assert.equal(found.interfaces.length, 5);
  assert.deepEqual(
    found.problems.filter((p) => p.kind === "environment"),
    [],
  );
  const empty = {
    ...missing,
    sources: { ...missing.sources, networkdDirs: [], networkManagerDirs: [] },
  };
  const nothing = await discoverAll(empty, { include: ["wg7"], exclude: [] });
  assert.deepEqual(
    nothing.problems.map((p) => p.message),
    [
      `${missing.configDir} does not exist; install wireguard-tools or pass --config-dir DIR`,
      `interface wg7 (--interface or the interfaces setting): no ${missing.configDir}/wg7.conf, and no systemd-networkd or NetworkManager file describes it`,
    ],
  );
});
