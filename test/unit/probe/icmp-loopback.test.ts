import assert from "node:assert/strict";
import { test } from "node:test";
import { RawSocketError, rawPinger } from "../../../src/probe/icmp.js";

// The real net-ping, on loopback only: the request it is given answers, and close() ends it.

test("real net-ping: loopback answers on both families, with a round trip", async (t) => {
  const pinger = rawPinger();
  try {
    const policy = { count: 3, intervalMs: 200, timeoutMs: 1000 };
    const v4 = await pinger.probe({ address: "127.0.0.1", family: 4 }, policy);
    const v6 = await pinger.probe({ address: "::1", family: 6 }, policy);
    assert.equal(v4.alive, true, JSON.stringify(v4));
    assert.equal(v6.alive, true, JSON.stringify(v6));
    assert.ok((v4.rttMs ?? 99) < 50 && (v6.rttMs ?? 99) < 50, "round trips in ms");
  } catch (error) {
    if (!(error instanceof RawSocketError)) throw error;
    t.skip(`no raw sockets here: ${error.message}`);
  } finally {
    pinger.close();
  }
});
