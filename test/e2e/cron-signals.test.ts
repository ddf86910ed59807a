/**
 * End-to-end: SIGTERM during a cron run's verification. The run stops waiting, puts back the
 * endpoint it began with (the move was not verified), saves state, says what it did, releases
 * the lock and exits 143, within two seconds.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { inNs, waitFor } from "./lab/exec.js";
import { TOOL_BIN, SERVER_V4 as V4, SERVER_V6 as V6 } from "./lab/index.js";
import {
  cron,
  endpoint,
  labFor,
  labOpts,
  pause,
  peerState,
  readState,
  show,
  TUNNEL_WAIT,
} from "./support/cron.js";

test(
  "SIGTERM while a move is being verified: undone, state saved, lock released, exit 143",
  labOpts,
  async (t) => {
    const holdDownSeconds = 1;
    // A long verification, so that the signal surely lands in it.
    const lab = await labFor(t, { toolConfig: { holdDownSeconds, verify: { timeoutMs: 30_000 } } });
    const v6 = endpoint(lab, 0, V6);
    const v4 = endpoint(lab, 0, V4);
    await lab.setEndpoint(0, v4);
    assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT), "healthy on IPv4");
    // IPv6 answers ping but carries no WireGuard: the move back to it can never be verified.
    await lab.dropUdpOverIpv6(lab.server(0).port);
    const first = await cron(t, lab);
    assert.equal(first.exitCode, 0, show(first));
    await pause((holdDownSeconds + 1) * 1000);

    const [file, ...args] = inNs(lab.clientNamespace, [process.execPath, TOOL_BIN]);
    if (file === undefined) throw new Error("empty argv");
    const child = spawn(file, args, { cwd: lab.names.tmpDir, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    t.after(() => child.kill("SIGKILL"));
    const moved = await waitFor(
      async () => ((await lab.liveEndpoint(0)) === v6 ? true : undefined),
      {
        timeoutMs: 15_000,
      },
    );
    assert.equal(moved, true, `the run moved to IPv6 and is verifying it:\n${out}`);

    const signalled = performance.now();
    child.kill("SIGTERM");
    const code = await exited;
    const tookMs = performance.now() - signalled;
    t.diagnostic(`exit ${code} ${Math.round(tookMs)} ms after SIGTERM:\n${out}`);
    assert.equal(code, 143, out);
    assert.ok(tookMs < 2_000, `stopped within 2 s, took ${Math.round(tookMs)} ms`);
    assert.equal(await lab.liveEndpoint(0), v4, "the unverified move is undone");
    assert.match(
      out,
      new RegExp(
        `error: restored ${literal(v4)}: interrupted by SIGTERM before ${literal(v6)} was verified`,
      ),
    );
    assert.match(
      out,
      /warning: interrupted by SIGTERM: stopped, unverified moves undone; state saved/,
    );
    assert.equal(existsSync(join(lab.stateDir, "lock")), false, "the lock is released");
    const state = peerState(await readState(lab), lab, 0);
    assert.equal(state?.last?.endpoint, v4, "state saved with the endpoint put back");
    assert.equal(state?.failedUntil[V6], undefined, "an interrupted check marks nothing failed");
    assert.ok(await lab.tunnelWorks(0, TUNNEL_WAIT), "tunnel works over IPv4");
  },
);

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
