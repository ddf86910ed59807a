import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Decision } from "../../../src/decide/types.js";
import { peer, type Scenario } from "./builder.js";

// A name with 40 records (20 AAAA, 20 A), none of which carries WireGuard traffic. Without a
// bound each would cost one verification (11 s by default) while the lock is held.
const V6 = Array.from({ length: 20 }, (_, i) => `2001:db8::${i + 1}`);
const V4 = Array.from({ length: 20 }, (_, i) => `192.0.2.${i + 1}`);
const ON = "203.0.113.9:51820";

/** Runs the decision rounds a pass runs, every WireGuard check failing; returns every decision. */
function rounds(make: () => Scenario): Decision[] {
  const decisions: Decision[] = [];
  const failed: string[] = [];
  let now = ON;
  for (let i = 0; i < 100; i++) {
    const s = make().now(now);
    for (const e of failed) s.wg(e, false);
    const d = s.decide();
    decisions.push(d);
    if (d.action === "check") failed.push(d.endpoint);
    else if (d.action === "switch") {
      now = d.to;
      failed.push(d.to);
    } else return decisions;
  }
  assert.fail("no final decision in 100 rounds");
}

const forty = () =>
  peer()
    .resolves(...V6, ...V4)
    .on(ON);

describe("a pass tries at most verify.maxTriesPerPass addresses of a peer", () => {
  test("40 addresses, nothing works: 4 verifications, then the rest is named as untried", () => {
    const all = rounds(forty);
    const tries = all.filter((d) => d.action === "check" || d.action === "switch");
    assert.equal(tries.length, 4);
    const last = all.at(-1);
    assert.equal(last?.action, "restore");
    assert.match(
      last?.reason ?? "",
      /: restoring 203\.0\.113\.9:51820; 4 WireGuard checks per pass \(verify\.maxTriesPerPass\) used up; left untried until the next pass: \S+, \S+, \S+, \S+ and 1 more; never tried \(verify\.maxAddressesPerName 8\): 2001:db8::\d+, \S+, \S+, \S+ and 28 more$/,
    );
  });
  test("the bound is a setting: 1 try (the current endpoint), then no other", () => {
    const all = rounds(() => forty().policy({ maxTriesPerPass: 1 }));
    assert.deepEqual(
      all.map((d) => d.action),
      ["check", "unreachable"],
    );
  });
});

describe("only verify.maxAddressesPerName addresses of a name are candidates", () => {
  test("the 8 tried take both families in turn, never a whole family dropped", () => {
    const all = rounds(() => forty().policy({ maxTriesPerPass: 64 }));
    const tried = all.flatMap((d) =>
      d.action === "switch" ? [d.to] : d.action === "check" ? [d.endpoint] : [],
    );
    assert.deepEqual(tried.slice(1), [
      "[2001:db8::1]:51820",
      "[2001:db8::2]:51820",
      "[2001:db8::3]:51820",
      "[2001:db8::4]:51820",
      "192.0.2.1:51820",
      "192.0.2.2:51820",
      "192.0.2.3:51820",
      "192.0.2.4:51820",
    ]);
    assert.match(
      all.at(-1)?.reason ?? "",
      /never tried \(verify\.maxAddressesPerName 8\): 2001:db8::5, 2001:db8::6, 2001:db8::7, 2001:db8::8 and 28 more$/,
    );
  });
  test("the current endpoint stays a candidate even beyond the bound (no needless move)", () => {
    const d = forty().on("192.0.2.20:51820").answers("192.0.2.20").decide();
    assert.deepEqual(d, {
      action: "keep",
      endpoint: "192.0.2.20:51820",
      reason: "192.0.2.20:51820 works (answers ping in 1 ms)",
    });
  });
});
