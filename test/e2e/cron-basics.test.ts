/**
 * End-to-end: the zero-argument cron run on a real tunnel. A healthy tunnel is left alone without
 * a word (cron mails whatever is printed), --verbose explains, --dry-run changes nothing, and the
 * original script's flags manage exactly one peer.
 */
import assert from "node:assert/strict";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { SERVER_V4 as V4, SERVER_V6 as V6 } from "./lab/index.js";
import {
  cron,
  endpoint,
  labFor,
  labOpts,
  linesWith,
  peerPrefix,
  show,
  TUNNEL_WAIT,
  wgSetLine,
} from "./support/cron.js";

test(
  "healthy IPv6 tunnel: no output, exit 0, endpoint untouched; --verbose explains",
  labOpts,
  async (t) => {
    const lab = await labFor(t);
    const v6 = endpoint(lab, 0, V6);
    assert.equal(await lab.liveEndpoint(0), v6);

    const quiet = await cron(t, lab);
    assert.equal(quiet.exitCode, 0, show(quiet));
    assert.equal(quiet.stdout, "", `cron must get no mail: ${show(quiet)}`);
    assert.equal(quiet.stderr, "", `cron must get no mail: ${show(quiet)}`);
    assert.equal(await lab.liveEndpoint(0), v6);
    assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT), "tunnel still carries traffic");

    const verbose = await cron(t, lab, ["--verbose"]);
    assert.equal(verbose.exitCode, 0, show(verbose));
    const prefix = peerPrefix(lab, 0);
    assert.equal(
      linesWith(verbose, `${prefix} Candidate addresses: `).length,
      1,
      `one Candidate addresses line: ${show(verbose)}`,
    );
    const candidates = linesWith(verbose, "Candidate addresses: ")[0] ?? "";
    assert.ok(candidates.includes(V6) && candidates.includes(V4), show(verbose));
    assert.ok(candidates.indexOf(V6) < candidates.indexOf(V4), `AAAA listed first: ${candidates}`);
    assert.equal(linesWith(verbose, `${prefix} ${V6} is reachable`).length, 1, show(verbose));
    assert.equal(linesWith(verbose, `${prefix} ${V4} is reachable`).length, 1, show(verbose));
    assert.equal(
      linesWith(verbose, `${prefix} Existing endpoint is ${v6}`).length,
      1,
      show(verbose),
    );
    assert.equal(linesWith(verbose, `${prefix} ${v6} works`).length, 1, show(verbose));
    assert.equal(linesWith(verbose, "Executing").length, 0, `nothing executed: ${show(verbose)}`);
    assert.equal(verbose.stderr, "", `no warnings: ${show(verbose)}`);
    assert.equal(await lab.liveEndpoint(0), v6);
  },
);

test("--dry-run prints the wg set it would run and changes nothing", labOpts, async (t) => {
  const lab = await labFor(t);
  const v6 = endpoint(lab, 0, V6);
  const v4 = endpoint(lab, 0, V4);
  await lab.breakIpv6Silently();

  const result = await cron(t, lab, ["--dry-run"]);
  assert.equal(result.exitCode, 0, show(result));
  const dry = linesWith(result, `DRY RUN: would execute ${wgSetLine(lab, 0, v4)}`);
  assert.equal(dry.length, 1, `one DRY RUN line for the IPv4 endpoint: ${show(result)}`);
  assert.ok(dry[0]?.startsWith(peerPrefix(lab, 0)), show(result));
  assert.ok(result.stdout.includes("DRY RUN"), `the DRY RUN line is on stdout: ${show(result)}`);
  assert.equal(linesWith(result, "moved").length, 0, show(result));
  assert.equal(await lab.liveEndpoint(0), v6, "dry run leaves the endpoint alone");
  assert.equal(await lab.tunnelWorks(0, { timeoutMs: 2_500 }), false, "still broken");
  await assert.rejects(access(join(lab.stateDir, "state.json")), "a dry run writes no state");
  await assert.rejects(access(join(lab.stateDir, "lock")), "and leaves no lock");
});

test("the original script's flags manage just that one peer", labOpts, async (t) => {
  const lab = await labFor(t, { servers: [{}, {}] });
  const first = endpoint(lab, 0, V6);
  const second = endpoint(lab, 1, "2001:db8:2::1");
  // The client's IPv6 reaches neither server: both peers are broken, only one is named.
  await lab.breakIpv6Silently();
  const server = lab.server(1);

  const result = await cron(t, lab, [
    "--interface",
    lab.interface,
    "--peer",
    server.publicKey,
    "--host",
    server.hostname,
    "--port",
    String(server.port),
  ]);
  assert.equal(result.exitCode, 0, show(result));
  const moved = endpoint(lab, 1, "198.51.100.1");
  assert.equal(
    linesWith(result, `moved ${second} -> ${moved}`).length,
    1,
    `one "moved" line: ${show(result)}`,
  );
  assert.equal(
    linesWith(result, peerPrefix(lab, 0)).length,
    0,
    `peer 1 not mentioned: ${show(result)}`,
  );
  assert.equal(await lab.liveEndpoint(1), moved);
  assert.ok(await lab.tunnelWorks(1, TUNNEL_WAIT), "the named peer's tunnel works");
  assert.equal(await lab.liveEndpoint(0), first, "the other peer is not managed");
});
