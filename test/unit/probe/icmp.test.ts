import assert from "node:assert/strict";
import { test } from "node:test";
import type { Socket } from "raw-socket";
import type { Candidate } from "../../../src/model.js";
import { rawPinger } from "../../../src/probe/icmp.js";

// rawPinger on a fake raw socket: what it sends, and what it concludes from what comes back.

const POLICY = { count: 3, intervalMs: 40, timeoutMs: 200 };
const A: Candidate = { address: "2001:db8::1", family: 6 };
const B: Candidate = { address: "2001:db8::2", family: 6 };

test("alive on the first reply, with its round trip; no further echo is sent", async () => {
  const net = fakeNet((echo) => (echo.address === A.address ? "reply" : undefined));
  const pinger = rawPinger(net.open);
  const result = await pinger.probe(A, POLICY);
  assert.equal(result.alive, true);
  assert.equal(typeof result.rttMs, "number");
  await sleep(150);
  assert.deepEqual(net.sent(A.address), [1]);
  pinger.close();
});

test("a silent address gets `count` echoes `intervalMs` apart and is dead at its deadline", async () => {
  const net = fakeNet(() => undefined);
  const pinger = rawPinger(net.open);
  const started = performance.now();
  const result = await pinger.probe(A, POLICY);
  const took = performance.now() - started;
  assert.deepEqual(result, { address: A.address, alive: false, error: "timeout" });
  assert.equal(net.sent(A.address).length, 3);
  assert.ok(took >= 195 && took < 400, `dead after ${Math.round(took)} ms`);
  const [first = 0, second = 0, third = 0] = net.times(A.address);
  assert.ok(second - first >= 35 && third - first >= 75, "echoes about 40 ms apart");
  pinger.close();
});

test("a lost first echo is not death: a later reply within the deadline counts", async () => {
  let seen = 0;
  const net = fakeNet(() => (++seen === 2 ? "reply" : undefined));
  const pinger = rawPinger(net.open);
  const result = await pinger.probe(A, POLICY);
  assert.equal(result.alive, true);
  assert.equal(net.sent(A.address).length, 2);
  pinger.close();
});

test("dead as soon as every echo got an ICMP error, with the error's words", async () => {
  const net = fakeNet(() => "unreachable");
  const pinger = rawPinger(net.open);
  const started = performance.now();
  const result = await pinger.probe(A, POLICY);
  assert.deepEqual(result, { address: A.address, alive: false, error: "host unreachable" });
  assert.ok(performance.now() - started < 190, "before the deadline");
  pinger.close();
});

test("a send the firewall refuses counts as a failed echo", async () => {
  const net = fakeNet(() => undefined, new Error("Operation not permitted"));
  const pinger = rawPinger(net.open);
  const result = await pinger.probe(A, POLICY);
  assert.deepEqual(result, {
    address: A.address,
    alive: false,
    error: "blocked by the local firewall",
  });
  pinger.close();
});

test("first echoes go out before repeats; close() ends every probe under way", async () => {
  const net = fakeNet(() => undefined);
  const pinger = rawPinger(net.open);
  const pending = [pinger.probe(A, POLICY), pinger.probe(B, POLICY)];
  await sleep(60);
  assert.deepEqual(net.order().slice(0, 2), [A.address, B.address]);
  pinger.close();
  const results = await Promise.all(pending);
  assert.deepEqual(
    results.map((r) => r.error),
    ["probing stopped", "probing stopped"],
  );
  assert.deepEqual(await pinger.probe(A, POLICY), {
    address: A.address,
    alive: false,
    error: "probing stopped",
  });
});

// --- internal ---

interface Echo {
  readonly address: string;
  readonly sequence: number;
  readonly at: number;
}

/** A raw ICMPv6 socket in memory: `answer` says what the network does with each echo. */
function fakeNet(answer: (echo: Echo) => "reply" | "unreachable" | undefined, sendError?: Error) {
  const echoes: Echo[] = [];
  let listener: ((buffer: Buffer, source: string) => void) | undefined;
  const socket = {
    send(
      buffer: Buffer,
      _o: number,
      _l: number,
      address: string,
      after: (e: Error | null, n: number) => void,
    ) {
      const echo = { address, sequence: buffer.readUInt16BE(6), at: performance.now() };
      const identifier = buffer.readUInt16BE(4);
      // Like raw-socket: the packet leaves on a later turn of the event loop.
      setImmediate(() => {
        echoes.push(echo);
        after(sendError ?? null, sendError ? 0 : 16);
        const kind = sendError ? undefined : answer(echo);
        const ids = Buffer.alloc(4);
        ids.writeUInt16BE(identifier, 0);
        ids.writeUInt16BE(echo.sequence, 2);
        if (kind === "reply")
          setTimeout(
            () => listener?.(Buffer.concat([Buffer.from("81000000", "hex"), ids]), address),
            2,
          );
        if (kind === "unreachable") {
          const quoted = Buffer.concat([
            Buffer.alloc(40, 0x60),
            Buffer.from("80000000", "hex"),
            ids,
          ]);
          const error = Buffer.concat([Buffer.from("0103000000000000", "hex"), quoted]);
          setTimeout(() => listener?.(error, address), 2);
        }
      });
      return socket;
    },
    close: () => socket,
    on(event: string, handler: (buffer: Buffer, source: string) => void) {
      if (event === "message") listener = handler;
      return socket;
    },
  };
  return {
    open: () => socket as unknown as Socket,
    sent: (address: string) => echoes.filter((e) => e.address === address).map((_e, i) => i + 1),
    times: (address: string) => echoes.filter((e) => e.address === address).map((e) => e.at),
    order: () => echoes.map((e) => e.address),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
