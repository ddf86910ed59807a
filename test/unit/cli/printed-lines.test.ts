import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { printableJson } from "../../../src/common/redact.js";
import { createLog } from "../../../src/report/log.js";
import { fakeWgDir, runMain } from "../../support/main-fake-wg.js";

// Every line the program prints goes through one redaction step: nothing echoed from input
// (here an IPv6 zone id holding a terminal escape) can drive the operator's terminal.

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const ESCAPES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

test("an IPv6 zone id with a terminal escape is printed without its control characters", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wgem-zone-"));
  mkdirSync(join(dir, "conf"));
  const conf = [
    "[Peer]",
    "PublicKey = XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=",
    "AllowedIPs = 10.0.0.2/32",
    "Endpoint = [fe80::1%\u001b[2J\u009b31m]:51820",
    "",
  ].join("\n");
  writeFileSync(join(dir, "conf", "wgz0.conf"), conf);
  const bin = fakeWgDir("printf 'priv\\tpub\\t51820\\toff\\n'");
  const argv = ["--config-dir", join(dir, "conf"), "--state-dir", dir, "-v", "--dry-run"];
  const { out, err } = await runMain(argv, bin);
  assert.match(out, /Endpoint is the literal address fe80::1%\[2J31m: not managed/);
  assert.doesNotMatch(out + err, ESCAPES);
});

test("watch's log strips control characters from every line, in text and in JSON", () => {
  for (const format of ["text", "json"] as const) {
    let written = "";
    const write = (t: string) => {
      written += t;
    };
    const log = createLog(format, "verbose", { stdout: write, stderr: write }, () => 0);
    log.line({ level: "warning", text: "[fe80::1%\u001b[2J\u009b1m]:51820 gone" });
    assert.doesNotMatch(written, ESCAPES);
    assert.doesNotMatch(written, /\\u001b|\\u009b/);
    assert.match(written, /\[fe80::1%\[2J1m\]:51820 gone/);
  }
});

test("--json escapes DEL, C1 controls and invisible characters, and stays the same JSON", () => {
  const value = { endpoint: "[fe80::1%\u009b2J\u007f\u202e]:51820", tag: "\u{e0001}" };
  const text = printableJson(value);
  assert.doesNotMatch(text, ESCAPES);
  assert.doesNotMatch(text, /[\u202e\u{e0001}]/u);
  assert.deepEqual(JSON.parse(text), value);
});
