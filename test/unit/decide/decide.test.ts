import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { NOW, peer } from "./builder.js";

const V6 = "2001:db8::1";
const V4 = "192.0.2.1";
const E6 = "[2001:db8::1]:51820";
const E4 = "192.0.2.1:51820";

describe("the peer moved (current endpoint no longer in DNS)", () => {
  test("moves to the best answering candidate", () => {
    const d = peer()
      .resolves("198.51.100.7")
      .on("203.0.113.5:51820")
      .answers("198.51.100.7")
      .decide();
    assert.equal(d.action, "switch");
    assert.equal(d.action === "switch" && d.to, "198.51.100.7:51820");
    assert.match(d.reason, /203\.0\.113\.5:51820 is no longer an address of vpn\.example\.test/);
  });
  test("with no endpoint at all, takes the best answering one", () => {
    const d = peer().resolves(V6, V4).on(undefined).answers(V4).decide();
    assert.deepEqual([d.action, d.action === "switch" && d.to], ["switch", E4]);
  });
});

describe("the current endpoint answers", () => {
  test("keeps it, and a peer already there gets no wg set", () => {
    const d = peer().resolves(V6, V4).on(E6).answers(V6).answers(V4).decide();
    assert.deepEqual([d.action, d.reason], ["keep", `${E6} works (answers ping in 1 ms)`]);
  });
  test("keeps IPv4 while IPv6 has not answered for the hold-down", () => {
    const d = peer()
      .resolves(V6, V4)
      .on(E4)
      .answers(V6)
      .answers(V4)
      .memory({ preferredAnsweringSince: NOW - 60_000 })
      .decide();
    assert.equal(d.action, "keep");
    assert.match(d.reason, /IPv6 answers again but must do so for 300 s first \(60 s so far\)/);
  });
  test("moves back to IPv6 once it has answered for the hold-down", () => {
    const d = peer()
      .resolves(V6, V4)
      .on(E4)
      .answers(V6)
      .answers(V4)
      .memory({ preferredAnsweringSince: NOW - 300_000 })
      .decide();
    assert.deepEqual([d.action, d.action === "switch" && d.to], ["switch", E6]);
    assert.match(d.reason, /IPv6 has answered for 300 s \(hold-down 300 s\)/);
  });
  test("one lucky ping (no streak yet) does not move a working tunnel", () => {
    const d = peer().resolves(V6, V4).on(E4).answers(V6).answers(V4).decide();
    assert.equal(d.action, "keep");
  });
  test("prefers IPv4 when the host has no global IPv6 address", () => {
    const d = peer()
      .resolves(V6, V4)
      .on(E4)
      .answers(V6)
      .answers(V4)
      .host({ ipv4: true, ipv6: false })
      .decide();
    assert.deepEqual([d.action, d.reason], ["keep", `${E4} works (answers ping in 1 ms)`]);
  });
  test("family = ipv4 forces IPv4 even on an IPv6 host", () => {
    const d = peer()
      .resolves(V6, V4)
      .on(E6)
      .answers(V6)
      .answers(V4)
      .policy({ family: "ipv4" })
      .memory({ preferredAnsweringSince: NOW - 999_000 })
      .decide();
    assert.deepEqual([d.action, d.action === "switch" && d.to], ["switch", E4]);
  });
  test("answers ping but no handshake for long: checks through WireGuard first", () => {
    const d = peer().resolves(V6, V4).on(E6).answers(V6).handshake(200).decide();
    assert.equal(d.action, "check");
    assert.match(d.reason, /answers ping but last handshake 200 s ago/);
  });
  test("answers ping but WireGuard failed through it: moves on", () => {
    const d = peer().resolves(V6, V4).on(E6).answers(V6).answers(V4).wg(E6, false).decide();
    assert.deepEqual([d.action, d.action === "switch" && d.to], ["switch", E4]);
    assert.match(d.reason, /carries no WireGuard traffic/);
  });
});

describe("the current endpoint does not answer", () => {
  test("moves to another answering candidate, preferred family first", () => {
    const d = peer()
      .resolves(V6, "2001:db8::2", V4)
      .on(E6)
      .answers(V4)
      .answers("2001:db8::2")
      .decide();
    assert.deepEqual([d.action, d.action === "switch" && d.to], ["switch", "[2001:db8::2]:51820"]);
    assert.match(
      d.reason,
      /\[2001:db8::1\]:51820 does not answer ping \(timeout\); 2001:db8::2 answers/,
    );
  });
  test("IPv6 broken: falls back to IPv4", () => {
    const d = peer().resolves(V6, V4).on(E6).answers(V4, 3).decide();
    assert.deepEqual([d.action, d.action === "switch" && d.to], ["switch", E4]);
  });
  test("skips an address that failed WireGuard verification recently", () => {
    const d = peer()
      .resolves(V6, V4, "192.0.2.2")
      .on(E6)
      .answers(V4)
      .answers("192.0.2.2")
      .memory({ failedUntil: { [V4]: NOW + 1000 } })
      .decide();
    assert.deepEqual([d.action, d.action === "switch" && d.to], ["switch", "192.0.2.2:51820"]);
  });
  test("an expired failure no longer counts", () => {
    const d = peer()
      .resolves(V6, V4)
      .on(E6)
      .answers(V4)
      .memory({ failedUntil: { [V4]: NOW - 1 } })
      .decide();
    assert.deepEqual([d.action, d.action === "switch" && d.to], ["switch", E4]);
  });
});

describe("nothing answers ping", () => {
  test("checks the current endpoint through WireGuard, even right after a handshake", () => {
    const d = peer().resolves(V6, V4).on(E6).handshake(5).decide();
    assert.deepEqual(
      [d.action, d.reason],
      ["check", `no address answers ping: checking ${E6} through WireGuard`],
    );
  });
  test("keeps the current endpoint when WireGuard confirms it (the peer drops ICMP)", () => {
    const d = peer().resolves(V6, V4).on(E6).wg(E6, true).decide();
    assert.deepEqual([d.action, d.reason], ["keep", `${E6} works (WireGuard traffic confirmed)`]);
  });
  test("tries the next candidate through WireGuard when the current fails", () => {
    const d = peer().resolves(V6, V4).on(E6).wg(E6, false).decide();
    assert.deepEqual([d.action, d.action === "switch" && d.to], ["switch", E4]);
    assert.match(d.reason, /trying 192\.0\.2\.1/);
  });
  test("reports unreachable when the current and every candidate failed", () => {
    const d = peer().resolves(V6, V4).on(E6).wg(E6, false).wg(E4, false).decide();
    assert.deepEqual([d.action, d.action === "unreachable" && d.endpoint], ["unreachable", E6]);
  });
  test("after a failed move, restores where it was", () => {
    const d = peer().resolves(V6, V4).on(E6).now(E4).wg(E6, false).wg(E4, false).decide();
    assert.deepEqual([d.action, d.action === "restore" && d.to], ["restore", E6]);
  });
  test("without verification (--dry-run) a recent handshake keeps the endpoint", () => {
    const d = peer().resolves(V6, V4).on(E6).handshake(30).policy({ canVerify: false }).decide();
    assert.equal(d.action, "keep");
    assert.match(d.reason, /last handshake was 30 s ago \(the peer may drop ICMP\)/);
  });
  test("without verification and no recent handshake, reports unreachable", () => {
    const d = peer().resolves(V6, V4).on(E6).handshake(500).policy({ canVerify: false }).decide();
    assert.deepEqual(
      [d.action, d.reason],
      ["unreachable", "no address of vpn.example.test answers ping"],
    );
  });
});

describe("after a total outage (every address held by an earlier failure)", () => {
  const held = { failedUntil: { "2001:db8::1": NOW + 500_000, "192.0.2.1": NOW + 500_000 } };
  test("tries an address that answers ping again, rather than giving up", () => {
    const d = peer().resolves(V6, V4).on(E6).answers(V4).memory(held).decide();
    assert.deepEqual([d.action, d.action === "switch" && d.to], ["switch", E4]);
    assert.match(
      d.reason,
      /trying 192\.0\.2\.1 again \(it failed WireGuard verification recently\)/,
    );
  });
  test("checks the current endpoint first when it answers too, so nothing moves if it works", () => {
    const d = peer().resolves(V6, V4).on(E6).answers(V6).answers(V4).memory(held).decide();
    assert.deepEqual([d.action, d.action === "check" && d.endpoint], ["check", E6]);
  });
  test("gives up only once every address has been tried in this pass", () => {
    const d = peer()
      .resolves(V6, V4)
      .on(E6)
      .answers(V4)
      .memory(held)
      .wg(E6, false)
      .wg(E4, false)
      .decide();
    assert.equal(d.action, "unreachable");
  });
});

describe("DNS that misbehaves", () => {
  test("a failed lookup keeps the current endpoint, with the reason", () => {
    const d = peer().dnsFails("resolving vpn.example.test timed out after 5000 ms").on(E6).decide();
    assert.deepEqual(
      [d.action, d.reason],
      ["keep", `resolving vpn.example.test timed out after 5000 ms; keeping ${E6}`],
    );
  });
  test("only addresses of a family the host cannot use: keeps the endpoint", () => {
    const d = peer().resolves(V6).on(E4).host({ ipv4: true, ipv6: false }).decide();
    assert.equal(d.action, "keep");
    assert.match(
      d.reason,
      /resolves only to 2001:db8::1 and this host has no IPv6 address; keeping 192\.0\.2\.1:51820/,
    );
  });
});
