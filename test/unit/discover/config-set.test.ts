import assert from "node:assert/strict";
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ConfigSet } from "../../../src/discover/config-set.js";

const A = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";
const B = "SkTpT4Zp3kDkQWg9wCXuNn5dQdW2q8QNfSJJ/ytEpn4=";
const conf = (...peers: string[]) =>
  `[Interface]\nPrivateKey = 6KlCNMKAkKcfT+iQxfl7ABTz4yiso5iwGjJgdGVu9VQ=\n${peers.map((k) => `[Peer]\nPublicKey = ${k}\nEndpoint = vpn.example.test:51820\n`).join("")}`;

test("a changed file is reloaded; a malformed one keeps its last good version; a removed one is dropped", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wgem-configs-"));
  const file = join(dir, "wg0.conf");
  writeFileSync(file, conf(A));
  const set = new ConfigSet(dir, { include: [], exclude: [] });
  assert.deepEqual(await set.loadAll(), []);

  // Saved the way editors save: a new file renamed over the old one.
  writeFileSync(`${file}.tmp`, conf(A, B));
  renameSync(`${file}.tmp`, file);
  const added = await set.reload(file);
  assert.equal(added.iface, "wg0");
  assert.deepEqual(
    set.interfaces()[0]?.peers.map((p) => p.publicKey),
    [A, B],
  );

  writeFileSync(file, `${conf(A)}Endpoint = oops\n`);
  const broken = await set.reload(file);
  assert.equal(broken.iface, undefined);
  assert.deepEqual(
    broken.problems.map((p) => `${p.at?.line ?? ""} ${p.message}`),
    [
      '6 Endpoint "oops": expected "host:port"; peer skipped',
      " keeping the last good version in force until the file is fixed",
    ],
  );
  assert.deepEqual(
    set.interfaces()[0]?.peers.map((p) => p.publicKey),
    [A, B],
    "last good version still in force",
  );

  rmSync(file);
  assert.equal(set.remove(file), "wg0");
  assert.deepEqual(set.interfaces(), []);
});

test("files of excluded interfaces are ignored", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wgem-configs-"));
  writeFileSync(join(dir, "wg1.conf"), conf(A));
  const set = new ConfigSet(dir, { include: [], exclude: ["wg1"] });
  await set.loadAll();
  assert.deepEqual(await set.reload(join(dir, "wg1.conf")), { iface: undefined, problems: [] });
  assert.deepEqual(set.interfaces(), []);
});
