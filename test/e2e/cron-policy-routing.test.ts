/**
 * End-to-end: routes as the kernel sees them. The client's IPv4 routes live in a table of their
 * own, reached through a policy rule (`ip rule add lookup 100`), as on a multi-WAN or VRF host,
 * and its IPv6 uplink is gone: the main table has no route to any peer's address. Reading the
 * main table alone called this host offline and left the peers on their dead IPv6 endpoints;
 * asking the kernel finds the route, so one run moves both peers to IPv4.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runOk } from "./lab/exec.js";
import { CLIENT_V4, CLIENT_V6, type LabNames, SERVER_V4, SERVER_V6 } from "./lab/plan.js";
import { assertMoved, cron, endpoint, labFor, labOpts, linesWith, show } from "./support/cron.js";

const V6 = ["2001:db8:1::1", "2001:db8:2::1"] as const;
const V4 = ["192.0.2.1", "198.51.100.1"] as const;
const TABLE = "100";

test(
  "the IPv4 routes in another table (policy routing), IPv6 gone: not offline, repaired by one run",
  labOpts,
  async (t) => {
    const lab = await labFor(t, { servers: [{}, {}] });
    await routesToTable(lab.names);
    const main = await runOk(["ip", "-n", lab.names.clientNs, "route", "show", "table", "main"]);
    assert.doesNotMatch(main, /192\.0\.2\.0|198\.51\.100\.0/, "the main table still routes");
    const result = await cron(t, lab);
    assert.deepEqual(linesWith(result, "offline"), [], show(result));
    for (const i of [0, 1])
      await assertMoved(
        lab,
        result,
        endpoint(lab, i, V6[i] ?? ""),
        endpoint(lab, i, V4[i] ?? ""),
        i,
      );
  },
);

// --- internal ---

/** Moves the client's IPv4 uplink routes from the main table to TABLE (with its rule); IPv6 goes. */
async function routesToTable(names: LabNames): Promise<void> {
  const { clientNs: ns, clientVeth: dev, profile } = names;
  const move = async (family: "-4" | "-6", route: readonly string[]) => {
    await runOk(["ip", "-n", ns, family, "route", "del", ...route]);
    await runOk(["ip", "-n", ns, family, "route", "add", ...route, "table", TABLE]);
  };
  await move("-4", [`${network(CLIENT_V4, profile.linkV4Prefix)}`, "dev", dev]);
  for (const net of profile.routedV4) await move("-4", [net, "via", SERVER_V4]);
  await runOk(["ip", "-n", ns, "-4", "rule", "add", "pref", TABLE, "lookup", TABLE]);
  await runOk(["ip", "-n", ns, "-6", "route", "del", profile.routedV6, "via", SERVER_V6]);
  await runOk(["ip", "-n", ns, "-6", "addr", "del", `${CLIENT_V6}/64`, "dev", dev]);
}

function network(address: string, prefix: number): string {
  if (prefix !== 24) throw new Error(`the lab's link is a /24 here, not a /${prefix}`);
  return `${address.split(".").slice(0, 3).join(".")}.0/24`;
}
