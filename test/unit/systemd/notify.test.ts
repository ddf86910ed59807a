import assert from "node:assert/strict";
import { test } from "node:test";
import { Notifier, takeNotifyEnv } from "../../../src/systemd/notify.js";

const socketFd = (fd: number) => fd === 3;

test("no NOTIFY_SOCKET: not under systemd's Type=notify, and nothing is left in the environment", () => {
  const env: NodeJS.ProcessEnv = { PATH: "/usr/bin", NOTIFY_FD: "3", WATCHDOG_USEC: "30000000" };
  assert.equal(takeNotifyEnv(env, 100, socketFd), undefined);
  assert.deepEqual(env, { PATH: "/usr/bin" });
});

test("NOTIFY_SOCKET and a socket on NOTIFY_FD: that fd, and WATCHDOG_USEC in ms", () => {
  const env: NodeJS.ProcessEnv = {
    NOTIFY_SOCKET: "/run/systemd/notify",
    NOTIFY_FD: "3",
    WATCHDOG_USEC: "30000000",
    WATCHDOG_PID: "100",
  };
  assert.deepEqual(takeNotifyEnv(env, 100, socketFd), { fd: 3, watchdogMs: 30_000 });
  assert.deepEqual(env, {}, "children see none of it");
});

test("the watchdog is someone else's (WATCHDOG_PID), or WATCHDOG_USEC is not a number: no pings", () => {
  const base = { NOTIFY_SOCKET: "/run/systemd/notify", NOTIFY_FD: "3" };
  for (const extra of [
    { WATCHDOG_USEC: "30000000", WATCHDOG_PID: "99" },
    { WATCHDOG_USEC: "30s" },
    { WATCHDOG_USEC: "0" },
    {},
  ]) {
    assert.deepEqual(takeNotifyEnv({ ...base, ...extra }, 100, socketFd), {
      fd: 3,
      watchdogMs: undefined,
    });
  }
});

test("NOTIFY_SOCKET without notify-fd's socket: a sentence saying how to start the service", () => {
  for (const fd of [undefined, "x", "4", "-1"]) {
    const env = { NOTIFY_SOCKET: "/run/systemd/notify", ...(fd ? { NOTIFY_FD: fd } : {}) };
    assert.equal(
      takeNotifyEnv(env, 100, socketFd),
      "NOTIFY_SOCKET is set, but NOTIFY_FD names no socket: start watch through /usr/lib/wg-endpoint-manager/notify-fd, as the unit does; systemd gets no READY, STATUS or watchdog ping",
    );
  }
});

test("a message is one write: fields one per line, a newline inside a value flattened", () => {
  const written: [number, string][] = [];
  const notifier = new Notifier(3, assert.fail, (fd, text) => written.push([fd, text]));
  notifier.send({ READY: "1", STATUS: "2 peers up\nREADY=0" });
  assert.deepEqual(written, [[3, "READY=1\nSTATUS=2 peers up READY=0"]]);
});

test("a full queue (EAGAIN) drops the message quietly; another failure is told once until a write works", () => {
  const errors: string[] = [];
  let fail: string | undefined = "EAGAIN";
  const notifier = new Notifier(
    3,
    (m) => errors.push(m),
    () => {
      if (fail !== undefined) throw Object.assign(new Error(`${fail}: write`), { code: fail });
    },
  );
  notifier.send({ WATCHDOG: "1" });
  assert.deepEqual(errors, []);
  fail = "ECONNREFUSED";
  notifier.send({ WATCHDOG: "1" });
  notifier.send({ WATCHDOG: "1" });
  assert.deepEqual(errors, ["cannot notify systemd (ECONNREFUSED: write)"]);
  fail = undefined;
  notifier.send({ WATCHDOG: "1" });
  fail = "ECONNREFUSED";
  notifier.send({ WATCHDOG: "1" });
  assert.equal(errors.length, 2);
});
