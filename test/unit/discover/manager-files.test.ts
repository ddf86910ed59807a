import assert from "node:assert/strict";
import { chmod, cp, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { findNetdevFiles, readNetdevs } from "../../../src/discover/networkd-files.js";
import { readKeyfiles } from "../../../src/discover/nm-files.js";
import { fixture } from "../../support/paths.js";

async function copyTree(t: { after: (f: () => Promise<void>) => void }, from: string) {
  const dir = await mkdtemp(join(tmpdir(), "wgem-managers-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await cp(fixture("managers", from), dir, { recursive: true });
  return dir;
}

test("networkd's search path: same name in a higher folder wins, empty file and /dev/null link mask, drop-ins from every folder in name order, first Name= wins", async (t) => {
  const root = await copyTree(t, "networkd");
  const local = join(root, "usr-local-lib");
  await cp(join(root, "usr-lib", "60-duplicate.netdev"), join(local, "70-nulled.netdev"));
  await symlink("/dev/null", join(root, "etc", "70-nulled.netdev"));
  const dirs = ["etc", "run", "usr-local-lib", "usr-lib"].map((d) => join(root, d));
  const sets = await findNetdevFiles(dirs);
  const rel = (p: string) => p.slice(root.length + 1);
  assert.deepEqual(
    sets.map((s) => [rel(s.main), s.dropins.map(rel)]),
    [
      ["run/10-netplan-wg0.netdev", []],
      ["etc/25-wireguard.netdev", []],
      [
        "etc/30-office.netdev",
        [
          "usr-lib/30-office.netdev.d/10-credential.conf",
          "etc/30-office.netdev.d/50-extra-peer.conf",
        ],
      ],
      ["usr-lib/50-dummy.netdev", []],
      ["usr-lib/60-duplicate.netdev", []],
    ],
  );
  const { interfaces, problems } = await readNetdevs(sets);
  assert.deepEqual(
    interfaces.map((c) => [c.iface, rel(c.file), c.peers.length]),
    [
      ["wg0", "run/10-netplan-wg0.netdev", 2],
      ["wg99", "etc/25-wireguard.netdev", 1],
      ["wg-office", "etc/30-office.netdev", 4],
    ],
  );
  const duplicate = problems.find((p) => p.at?.file.endsWith("60-duplicate.netdev"));
  assert.equal(
    duplicate?.message,
    `interface wg99 is already configured by ${join(root, "etc", "25-wireguard.netdev")}; networkd ignores this file`,
  );
  assert.equal(duplicate?.at?.line, 2);
});

test("NetworkManager: /run shadows /etc for the same uuid; files NetworkManager would refuse are skipped", async (t) => {
  const root = await copyTree(t, "nm");
  const etc = join(root, "etc");
  for (const d of ["etc", "run"])
    for (const f of [
      "office.nmconnection",
      "broken.nmconnection",
      "ethernet.nmconnection",
      "netplan-wg1.nmconnection",
      "office-runtime.nmconnection",
    ])
      await chmod(join(root, d, f), 0o600).catch(() => {});
  await writeFile(
    join(etc, "open.nmconnection"),
    "[connection]\ntype=wireguard\ninterface-name=wg-open\n",
    { mode: 0o644 },
  );
  await chmod(join(etc, "open.nmconnection"), 0o644);
  const { interfaces, problems } = await readKeyfiles([join(root, "run"), etc]);
  assert.deepEqual(
    interfaces.map((c) => [
      c.iface,
      c.file.slice(root.length + 1),
      c.peers.map((p) => p.endpoint?.host),
    ]),
    [
      ["wg1", "run/netplan-wg1.nmconnection", ["vpn.example.test"]],
      ["wg-nm", "run/office-runtime.nmconnection", ["runtime.example.test"]],
    ],
  );
  const shown = problems.map((p) => `${p.at?.file.slice(root.length + 1)}: ${p.message}`);
  assert.ok(
    shown.some((s) => s.startsWith("etc/open.nmconnection: NetworkManager ignores this file")),
    shown.join("\n"),
  );
  assert.ok(
    shown.some((s) => s.startsWith("etc/broken.nmconnection: neither")),
    shown.join("\n"),
  );
});
