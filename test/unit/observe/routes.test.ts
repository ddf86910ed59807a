import assert from "node:assert/strict";
import { test } from "node:test";
import { kernelRoute, leadsOut } from "../../../src/observe/routes.js";

// The kernel is asked about loopback only here (a UDP connect() sends nothing); routes through
// policy rules and other tables are in test/e2e/cron-policy-routing.test.ts.

test("the kernel's route to a loopback address is through lo, which leads nowhere", async () => {
  const route = kernelRoute();
  for (const address of ["127.0.0.1", "::1"]) {
    const answer = await route(address);
    assert.deepEqual(answer, { iface: "lo" }, address);
    assert.equal(leadsOut(answer, new Set()), false);
  }
  assert.deepEqual(await route("vpn.example.test"), { unreachable: "not an IP address" });
});

test("a route leads out unless it is through lo or a tunnel, or there is none", () => {
  const tunnels = new Set(["wg0"]);
  assert.equal(leadsOut({ iface: "eth0" }, tunnels), true);
  assert.equal(leadsOut({ iface: "" }, tunnels), true, "a source address no interface holds now");
  assert.equal(leadsOut({ iface: "wg0" }, tunnels), false);
  assert.equal(leadsOut({ unreachable: "ENETUNREACH" }, tunnels), false);
});
