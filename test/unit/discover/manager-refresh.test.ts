import assert from "node:assert/strict";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { refreshManagerInterfaces } from "../../../src/discover/manager-refresh.js";
import type { InterfaceConfig } from "../../../src/model.js";
import { DEFAULTS } from "../../../src/settings/schema.js";
import { fixture } from "../../support/paths.js";

const NONE = { include: [], exclude: [] };

test("a refresh: new and changed manager interfaces give their peers, a wg-quick one stays, a gone one goes", async (t) => {
  const root = await mkdtemp(join(tmpdir(), "wgem-refresh-"));
  t.after(() => rm(root, { recursive: true, force: true }));
  const dir = join(root, "network");
  await cp(fixture("managers", "networkd", "run"), dir, { recursive: true });
  const settings = {
    ...DEFAULTS,
    sources: { ...DEFAULTS.sources, networkdDirs: [dir], networkManagerDirs: [] },
  };
  const quick: InterfaceConfig = {
    iface: "wg0",
    file: "/etc/wireguard/wg0.conf",
    source: "wg-quick",
    saveConfig: false,
    peers: [],
    problems: [],
  };
  const gone: InterfaceConfig = {
    iface: "wg-old",
    file: "/run/x.netdev",
    source: "networkd",
    saveConfig: false,
    peers: [],
    problems: [],
  };
  const byIface = new Map([
    ["wg0", quick],
    ["wg-old", gone],
  ]);

  const first = await refreshManagerInterfaces(byIface, settings, NONE);
  assert.deepEqual(
    [...byIface.keys()],
    ["wg0"],
    "netplan's wg0 does not replace the wg-quick file; wg-old is gone",
  );
  assert.equal(first.keys.size, 0);

  await writeFile(
    join(dir, "20-wg5.netdev"),
    "[NetDev]\nName=wg5\nKind=wireguard\n[WireGuardPeer]\nPublicKey=2NUavQiVzNTdxtLInrotmNSuMrrd3H+QW6nZD9DHT3w=\nEndpoint=a.example.test:1\n",
  );
  const added = await refreshManagerInterfaces(byIface, settings, NONE);
  assert.deepEqual([...added.keys], ["wg5/2NUavQiVzNTdxtLInrotmNSuMrrd3H+QW6nZD9DHT3w="]);
  const again = await refreshManagerInterfaces(byIface, settings, NONE);
  assert.equal(again.keys.size, 0, "nothing changed, nothing to reconcile");

  byIface.delete("wg0");
  const netplan = await refreshManagerInterfaces(byIface, settings, NONE);
  assert.equal(
    byIface.get("wg0")?.source,
    "networkd",
    "without the wg-quick file, netplan's wg0 is managed",
  );
  assert.equal(netplan.keys.size, 2);
});
