import assert from "node:assert/strict";
import { test } from "node:test";
import { randomHex } from "../../../src/util/random-hex.js";

test("randomHex gives `bytes` random bytes as hex, different each time", async () => {
  const names = await Promise.all(Array.from({ length: 200 }, () => randomHex(6)));
  for (const name of names) assert.match(name, /^[0-9a-f]{12}$/);
  assert.equal(new Set(names).size, 200);
  assert.match(await randomHex(16), /^[0-9a-f]{32}$/);
});
