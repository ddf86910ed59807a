import assert from "node:assert/strict";
import { isIP } from "node:net";
import { test } from "node:test";
import { ipFamily } from "../../../src/common/ip.js";

test("ipFamily answers as net.isIP on hand-picked addresses", () => {
  const cases: [string, 0 | 4 | 6][] = [
    ["192.0.2.1", 4],
    ["2001:db8::1", 6],
    ["2001:DB8:0:0:0:0:0:1", 6],
    ["::", 6],
    ["::1", 6],
    ["1::", 6],
    ["::ffff:192.0.2.1", 6],
    ["64:ff9b::192.0.2.1", 6],
    ["1:2:3:4:5:6:7:8", 6],
    ["1:2:3:4:5:6:7:8:9", 0],
    ["1:2:3:4:5:6:192.0.2.1", 6],
    ["1:2:3:4:5:6:7:192.0.2.1", 0],
    ["2001:db8::1::1", 0],
    ["2001:db8:::1", 0],
    ["12345::1", 0],
    ["::ffff:192.0.2.01", 0],
    ["::ffff:256.0.2.1", 0],
    ["::ffff:1.2.3", 0],
    [":", 0],
    [":1", 0],
    ["1:", 0],
    ["vpn.example.test", 0],
    ["192.0.2.256", 0],
    ["192.0.2", 0],
    ["[::1]", 0],
    ["::1/64", 0],
    ["", 0],
  ];
  for (const [text, family] of cases) {
    assert.equal(isIP(text), family, `net.isIP(${JSON.stringify(text)})`);
    assert.equal(ipFamily(text), family, `ipFamily(${JSON.stringify(text)})`);
  }
});

test("ipFamily equals net.isIP on 60,000 generated near-addresses", () => {
  const random = prng(12);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const digits = [..."0123456789abcdefABCDEF"];
  const group = () => {
    const length = random() < 0.03 ? pick([0, 5]) : pick([1, 2, 3, 4, 4]);
    return Array.from({ length }, () => pick(digits)).join("");
  };
  const v4 = () =>
    Array.from({ length: pick([3, 4, 4, 4, 5]) }, () =>
      pick(["0", "1", "01", "255", "256", "99"]),
    ).join(".");
  const seen = { 0: 0, 4: 0, 6: 0 };
  for (let i = 0; i < 60_000; i++) {
    const v4Tail = random() < 0.25;
    const groups = Array.from(
      { length: pick([1, 2, 3, 5, 6, 7, 8, 8, 8, 9]) - (v4Tail ? 2 : 0) },
      group,
    );
    if (random() < 0.5) groups.splice(Math.floor(random() * (groups.length + 1)), 0, "");
    let text = groups.join(":");
    if (text.startsWith(":") || text.endsWith(":"))
      text = text.startsWith(":") ? `:${text}` : `${text}:`;
    if (v4Tail) text = `${text}:${v4()}`;
    if (random() < 0.05) text = `${text}${pick(["x", " ", "%", "/", "]", "g", ":"])}`;
    if (random() < 0.1) text = v4();
    const expected = isIP(text) as 0 | 4 | 6;
    assert.equal(ipFamily(text), expected, JSON.stringify(text));
    seen[expected]++;
  }
  // The set holds plenty of each answer, or the test would prove little.
  assert.ok(seen[0] > 10_000 && seen[4] > 500 && seen[6] > 10_000, JSON.stringify(seen));
});

// --- internal ---

/** A small seeded generator (mulberry32), so that a failure can be reproduced. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
