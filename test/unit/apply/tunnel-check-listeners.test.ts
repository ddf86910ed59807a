import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { test } from "node:test";
import { tunnelChecker } from "../../../src/apply/tunnel-check.js";
import type { Clock } from "../../../src/clock.js";
import type { LivePeer } from "../../../src/model.js";
import type { Wg } from "../../../src/observe/wg.js";
import type { Pinger } from "../../../src/probe/icmp.js";

const KEY = "XXSeHNuO4fZyApgAUZUhX0/k8ApKgmY5v1W8SmRTX0c=";

test("50 verifications at once hold one abort listener, none once they end, and print no warning", async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on("warning", onWarning);
  try {
    let rx = 0;
    const live = (): LivePeer[] => [
      {
        publicKey: KEY,
        endpoint: "192.0.2.1:51820",
        allowedIps: ["172.25.1.1/32"],
        latestHandshake: 0,
        rxBytes: rx,
        txBytes: 0,
      },
    ];
    const wg: Wg = {
      show: async () => live(),
      showAll: async () => new Map(),
      setEndpoint: async () => {},
    };
    const pinger: Pinger = {
      probe: async (c) => ({ address: c.address, alive: false }),
      close: () => {},
    };
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Every check waits on the gate, so all 50 are in flight together.
    const clock: Clock = { now: () => 0, sleep: () => gate };
    const check = tunnelChecker(wg, pinger, clock, 11_000);
    const controller = new AbortController();
    const checks = Array.from({ length: 50 }, (_, i) =>
      check(`wgt${i}`, KEY, undefined, controller.signal),
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(getEventListeners(controller.signal, "abort").length, 1);
    rx = 100;
    release();
    const verdicts = await Promise.all(checks);
    assert.ok(verdicts.every((v) => v.ok));
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(getEventListeners(controller.signal, "abort").length <= 1);
    assert.deepEqual(warnings, []);
  } finally {
    process.off("warning", onWarning);
  }
});

test("an abort still interrupts every verification in flight", async () => {
  const wg: Wg = {
    show: async () => [
      {
        publicKey: KEY,
        endpoint: "192.0.2.1:51820",
        allowedIps: [],
        latestHandshake: 0,
        rxBytes: 0,
        txBytes: 0,
      },
    ],
    showAll: async () => new Map(),
    setEndpoint: async () => {},
  };
  const pinger: Pinger = { probe: () => new Promise(() => {}), close: () => {} };
  const clock: Clock = { now: () => 0, sleep: () => new Promise(() => {}) };
  const check = tunnelChecker(wg, pinger, clock, 11_000);
  const controller = new AbortController();
  const checks = Array.from({ length: 20 }, () => check("wgt0", KEY, undefined, controller.signal));
  await new Promise((resolve) => setImmediate(resolve));
  controller.abort(new Error("interrupted by SIGTERM"));
  const verdicts = await Promise.all(checks);
  assert.ok(verdicts.every((v) => v.interrupted === true));
});
