import assert from "node:assert/strict";
import { test } from "node:test";
import { interruptedExit, listenForSignals } from "../../../src/common/signals.js";

// process.emit() calls the listeners as the signal would, without sending one to the process.

test("SIGTERM aborts the signal with a reason naming it, resolves stop, and calls for exit 143", async () => {
  const signals = listenForSignals({ hangup: false });
  try {
    assert.equal(interruptedExit(signals.signal), undefined);
    process.emit("SIGTERM", "SIGTERM");
    process.emit("SIGINT", "SIGINT");
    assert.equal(signals.signal.aborted, true);
    assert.equal((signals.signal.reason as Error).message, "interrupted by SIGTERM");
    assert.equal(await signals.stop, "SIGTERM", "the first signal counts");
    assert.equal(interruptedExit(signals.signal), 143);
  } finally {
    signals.dispose();
  }
});

test("SIGHUP is listened for only when asked, and calls the handler once one is set", () => {
  const before = process.listenerCount("SIGHUP");
  const terms = process.listenerCount("SIGTERM");
  const cron = listenForSignals({ hangup: false });
  assert.equal(process.listenerCount("SIGHUP"), before, "a cron run leaves SIGHUP alone");
  cron.dispose();
  const service = listenForSignals({ hangup: true });
  let hangups = 0;
  try {
    process.emit("SIGHUP", "SIGHUP");
    service.onHangup(() => hangups++);
    process.emit("SIGHUP", "SIGHUP");
    assert.equal(hangups, 1);
    assert.equal(service.signal.aborted, false);
  } finally {
    service.dispose();
  }
  assert.equal(process.listenerCount("SIGHUP"), before, "dispose() removes the listener");
  assert.equal(process.listenerCount("SIGTERM"), terms);
});
