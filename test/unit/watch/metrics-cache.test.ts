import assert from "node:assert/strict";
import { test } from "node:test";
import { exposedListenWarning } from "../../../src/common/listen-address.js";
import { renderOncePerPass } from "../../../src/watch/metrics-cache.js";

/** A service's metrics input that a "pass" replaces, and a render that counts its calls. */
function fixture() {
  const f = {
    now: 1_000_000,
    input: { state: {}, lastPass: undefined as object | undefined },
    renders: 0,
    fail: false,
  };
  const render = renderOncePerPass(
    () => f.input,
    async () => {
      f.renders++;
      if (f.fail) throw new Error("boom");
      return `pass ${f.renders}\n`;
    },
    { now: () => f.now },
    5_000,
  );
  const pass = () => {
    f.input = { state: {}, lastPass: { at: f.now } };
  };
  return { f, render, pass };
}

test("scrapes that arrive together, and scrapes between passes, share one render", async () => {
  const { f, render } = fixture();
  const bodies = await Promise.all(Array.from({ length: 300 }, () => render()));
  assert.equal(f.renders, 1);
  assert.ok(bodies.every((b) => b === bodies[0]));
  f.now += 60_000;
  assert.equal((await render()).toString(), "pass 1\n");
  assert.equal(f.renders, 1, "no pass since: the same text however old");
});

test("a new pass is rendered, but not more often than every 5 s", async () => {
  const { f, render, pass } = fixture();
  await render();
  f.now += 1_000;
  pass();
  assert.equal((await render()).toString(), "pass 1\n", "1 s later: the buffer is kept");
  f.now += 4_000;
  assert.equal((await render()).toString(), "pass 2\n");
  assert.equal(f.renders, 2);
});

test("a failed render is not kept: the next scrape renders again", async () => {
  const { f, render } = fixture();
  f.fail = true;
  await assert.rejects(render(), { message: "boom" });
  f.fail = false;
  assert.equal((await render()).toString(), "pass 2\n");
});

test("metrics.listen not on loopback: a warning naming the address", () => {
  for (const host of ["127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"])
    assert.equal(exposedListenWarning({ host, port: 9777 }), undefined, host);
  assert.equal(
    exposedListenWarning({ host: "0.0.0.0", port: 9777 }),
    "warning: metrics.listen 0.0.0.0:9777 is not a loopback address: anyone who can reach it reads every peer's key, hostname and endpoint; prefer 127.0.0.1:9777",
  );
  for (const host of ["::", "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1"])
    assert.match(exposedListenWarning({ host, port: 1 }) ?? "", /is not a loopback address/, host);
});
