import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { main } from "../../../src/cli/main.js";
import { repeatedJsonKey } from "../../../src/settings/json-keys.js";

const KEY = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";

async function runWith(name: string, text: string): Promise<{ code: number; err: string }> {
  const dir = mkdtempSync(join(tmpdir(), "wgem-hostile-"));
  const file = join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, 0o644);
  let err = "";
  const io = {
    stdout: () => {},
    stderr: (t: string) => {
      err += t;
    },
  };
  const code = await main(["status", "--config", file, "--state-dir", dir], io);
  return { code, err };
}

for (const member of ["__proto__", "valueOf", "hasOwnProperty", "constructor", "toString"]) {
  test(`a setting named ${member} is an unknown setting (exit 2), at the top and inside`, async () => {
    for (const [name, text] of [
      ["config.json", `{"${member}": {}}`],
      ["config.json", `{"probe": {"${member}": 1}}`],
      ["config.yaml", `${member}: 1\n`],
      ["config.json", `{"peers": {"${KEY}": {"${member}": 1}}}`],
    ] as const) {
      const { code, err } = await runWith(name, text);
      assert.equal(code, 2, `${name} ${text}: ${err}`);
      assert.match(err, new RegExp(`${member}: unknown setting\\n$`));
      assert.doesNotMatch(err, /\n\s+at /);
    }
  });
}

test("a key repeated in a JSON object is an error with its line and column, exit 2", async () => {
  const text =
    '{\n  "family": "ipv4",\n  "probe": {"count": 2, "count": 3},\n  "family": "ipv6"\n}\n';
  const { code, err } = await runWith("config.json", text);
  assert.equal(code, 2);
  assert.match(err, /config\.json:3:25: "count" is set twice: keep one\n$/);
});

test("the repeat scan tells keys from values, strings and arrays, and escapes from quotes", () => {
  assert.equal(
    repeatedJsonKey('{"a": "a", "b": ["a", {"a": 1}], "c": {"a": {"a": 2}}}'),
    undefined,
  );
  assert.equal(repeatedJsonKey('{"a\\"": 1, "b": "\\\\", "c": 2}'), undefined);
  assert.deepEqual(repeatedJsonKey('[{"x": 1}, {"x": 2, "\\u0078": 3}]'), {
    key: "x",
    line: 1,
    column: 21,
  });
});

test("a key repeated in YAML is an error too", async () => {
  const { code, err } = await runWith("config.yaml", "family: ipv4\nfamily: ipv6\n");
  assert.equal(code, 2);
  assert.match(err, /duplicated mapping key/);
});

test("verifyAddress must be an IP address", async () => {
  for (const bad of ["tunnel.example", "10.0.0.1/32", "fd00::1/64", ""]) {
    const text = JSON.stringify({ peers: { [KEY]: { verifyAddress: bad } } });
    const { code, err } = await runWith("config.json", text);
    assert.equal(code, 2, bad);
    assert.match(err, /verifyAddress: expected an IP address, got "/);
  }
  for (const good of ["10.0.0.1", "fd00::1"]) {
    const text = JSON.stringify({ peers: { [KEY]: { verifyAddress: good } } });
    assert.notEqual((await runWith("config.json", text)).code, 2, good);
  }
});
