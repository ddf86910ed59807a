import assert from "node:assert/strict";
import { test } from "node:test";
import { exposedListenWarning } from "../../../src/common/listen-address.js";

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
