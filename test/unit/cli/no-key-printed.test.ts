import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { main } from "../../../src/cli/main.js";
import { fixture } from "../../support/paths.js";

// Every way a key was ever found printed, in one file. No part of a private or
// preshared key longer than the 8 characters a redacted run shows may reach stdout, stderr or --json.

const file = fixture("leak", "leaky.conf");
const text = readFileSync(file, "utf8");
const secrets = [
  ...text.matchAll(/^(?:PrivateKey\s*=\s*|PresharedKey\s*=\s*|\[Peer )?([A-Za-z0-9+/]{43}=)\]?$/gm),
]
  .filter((m) => !/^PublicKey/.test(m[0]))
  .map((m) => m[1] ?? "");

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const state = mkdtempSync(join(tmpdir(), "wgem-state-"));
  const io = {
    stdout: (t: string) => {
      out += t;
    },
    stderr: (t: string) => {
      err += t;
    },
    cwd: state,
  };
  const code = await main([...argv, "--config-dir", fixture("leak"), "--state-dir", state], io);
  return { code, out, err };
}

function assertNoKey(output: string): void {
  for (const key of secrets) {
    for (let i = 0; i + 9 <= key.length; i++) {
      assert.ok(
        !output.includes(key.slice(i, i + 9)),
        `key material printed: …${key.slice(i, i + 9)}…`,
      );
    }
  }
}

test("the fixture holds the three secrets it is about", () => {
  assert.equal(new Set(secrets).size, 3);
});

test("no key is printed on stderr: wrapped, as Endpoint, in a header, 43 characters, as PublicKey", async () => {
  const r = await run(["--verbose"]);
  assert.equal(r.code, 3);
  assertNoKey(r.out + r.err);
  assert.equal(
    r.err,
    [
      `${file}:3: error: PrivateKey has no value`,
      `${file}:4: error: a line wg does not understand (not shown: this section holds a private or preshared key)`,
      `${file}:9: leaky peer XrjoL0fm: error: Endpoint "UAUCLmTz…": expected "host:port"; peer skipped`,
      `${file}:13: leaky peer 276lM1yX: error: Endpoint "UAUCLmTz…:51820": "UAUCLmTz…": not a hostname (labels of 1-63 letters, digits, - and _, at most 253 characters) or an IP address; peer skipped`,
      `${file}:15: error: section "[PeerSguf…]" is neither [Interface] nor [Peer]; its lines are skipped`,
      `${file}:19: error: PublicKey is not a 44-character base64 WireGuard key (it has 43 characters; not shown); peer skipped`,
      `${file}:23: error: PublicKey is a private or preshared key of this file: use the peer's public key; peer skipped`,
      `${file}:25: error: Endpoint "vpn.example.test:99999": expected a port 1-65535, got "99999"; peer skipped`,
      `${file}:30: leaky peer Nm6KwArK: error: a line wg does not understand (not shown: this section holds a private or preshared key); peer skipped`,
      "",
    ].join("\n"),
  );
});

test("no key is printed in --json, the peer field included", async () => {
  const r = await run(["--json"]);
  assert.equal(r.code, 3);
  assertNoKey(r.out + r.err);
  const parsed = JSON.parse(r.out) as { problems: { peer?: string; message: string }[] };
  assert.equal(parsed.problems.length, 9);
  assert.deepEqual(
    parsed.problems.map((p) => p.peer?.slice(0, 8)),
    [
      undefined,
      undefined,
      "XrjoL0fm",
      "276lM1yX",
      undefined,
      undefined,
      undefined,
      undefined,
      "Nm6KwArK",
    ],
  );
});
