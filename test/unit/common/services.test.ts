import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { lazyServices } from "../../../src/common/services.js";
import { parseConf } from "../../../src/discover/parse-conf.js";

const PRIVATE = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
const PUBLIC = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";

function conf(port: string): string {
  return `[Interface]\nPrivateKey = ${PRIVATE}\n\n[Peer]\nPublicKey = ${PUBLIC}\nEndpoint = vpn.example:${port}\n`;
}

/** A services text that counts how often it is read. */
function counted(text: string): { read: () => string; reads: () => number } {
  let reads = 0;
  return {
    read: () => {
      reads++;
      return text;
    },
    reads: () => reads,
  };
}

test("services: a config with numeric ports never reads the services text", () => {
  const source = counted("domain 53/udp\n");
  const parsed = parseConf(conf("51820"), "wg0.conf", "wg0", {
    services: lazyServices(source.read),
  });
  assert.ok("peers" in parsed);
  assert.equal(parsed.peers[0]?.endpoint?.port, 51820);
  assert.equal(source.reads(), 0);
});

test("services: a service name reads the text once, at the first question", () => {
  const source = counted("domain 53/udp\nsyslog 514/udp\n");
  const lookup = lazyServices(source.read);
  assert.equal(source.reads(), 0);
  assert.equal(lookup("domain"), 53);
  assert.equal(lookup("syslog"), 514);
  assert.equal(lookup("nope"), undefined);
  assert.equal(source.reads(), 1);
});

test("services: a text that cannot be read knows no names, and is not read again", () => {
  let reads = 0;
  const lookup = lazyServices(() => {
    reads++;
    return readFileSync("/nonexistent/services", "utf8");
  });
  assert.equal(lookup("domain"), undefined);
  assert.equal(lookup("domain"), undefined);
  assert.equal(reads, 1);
});
