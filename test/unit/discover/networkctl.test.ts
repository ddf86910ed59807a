import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { chmod, cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { networkdFilesInUse, parseNetworkctlStatus } from "../../../src/discover/networkctl.js";
import { discoverAll } from "../../../src/discover/sources.js";
import { DEFAULTS } from "../../../src/settings/schema.js";
import { fixture } from "../../support/paths.js";

const STATUS = readFileSync(fixture("managers", "networkctl-status.json"), "utf8");

test("networkctl's JSON: the netdev file and its drop-ins; nothing for another link or an old release", () => {
  assert.deepEqual(parseNetworkctlStatus(STATUS, "wg0"), {
    main: "/etc/systemd/network/30-office.netdev",
    dropins: ["/etc/systemd/network/30-office.netdev.d/50-extra-peer.conf"],
  });
  assert.equal(parseNetworkctlStatus(STATUS, "wg1"), undefined);
  assert.equal(parseNetworkctlStatus('{"Name":"wg0","Kind":"wireguard"}', "wg0"), undefined);
  assert.equal(parseNetworkctlStatus("Failed to connect to bus", "wg0"), undefined);
  const wrapped = JSON.stringify({ Interfaces: [JSON.parse(STATUS)] });
  assert.equal(
    parseNetworkctlStatus(wrapped, "wg0")?.main,
    "/etc/systemd/network/30-office.netdev",
  );
});

test("no networkctl at all: an empty answer, not an error", async () => {
  const used = await networkdFilesInUse(["wg0"], "/nonexistent/networkctl");
  assert.equal(used.size, 0);
});

test("when networkd names its files, those are read instead of the search path's pick", async (t) => {
  const root = await mkdtemp(join(tmpdir(), "wgem-networkctl-"));
  t.after(() => rm(root, { recursive: true, force: true }));
  const etc = join(root, "etc");
  await cp(fixture("managers", "networkd", "etc"), etc, { recursive: true });
  // networkd says wg-office came from a file outside the search path we know (say, a newer
  // release's folder): a fake networkctl on PATH answers for wg-office only.
  const elsewhere = join(root, "elsewhere.netdev");
  await writeFile(
    elsewhere,
    "[NetDev]\nName=wg-office\nKind=wireguard\n[WireGuardPeer]\nPublicKey=2NUavQiVzNTdxtLInrotmNSuMrrd3H+QW6nZD9DHT3w=\nEndpoint=told.example.test:51820\n",
  );
  await writeFile(
    join(root, "networkctl"),
    `#!/bin/sh\n[ "$2" = wg-office ] || exit 1\nprintf '{"Name":"wg-office","NetDevFile":"${elsewhere}","NetDevFileDropins":[]}'\n`,
  );
  await chmod(join(root, "networkctl"), 0o755);
  const saved = process.env["PATH"];
  process.env["PATH"] = `${root}:${saved ?? ""}`;
  t.after(() => {
    process.env["PATH"] = saved;
  });
  const settings = {
    ...DEFAULTS,
    configDir: join(root, "none"),
    sources: { ...DEFAULTS.sources, networkdDirs: [etc], networkManagerDirs: [] },
  };
  const found = await discoverAll(settings, { include: [], exclude: [] });
  const office = found.interfaces.find((c) => c.iface === "wg-office");
  assert.equal(office?.file, elsewhere);
  assert.deepEqual(
    office?.peers.map((p) => p.endpoint?.host),
    ["told.example.test"],
  );
  assert.equal(
    found.interfaces.find((c) => c.iface === "wg99")?.file,
    join(etc, "25-wireguard.netdev"),
  );
});
