/**
 * Smoke test of the e2e lab itself (not of the tool): namespaces, DNS, WireGuard and faults behave
 * the way the tool's end-to-end tests rely on. Needs root, wg, wireguard-go and dnsmasq.
 */
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import { createLab, type Lab, type LabOptions, labSkipReason } from "./lab/index.js";

const skipReason = await labSkipReason();
const opts = skipReason === undefined ? {} : { skip: skipReason };

async function labFor(t: TestContext, options: LabOptions = {}): Promise<Lab> {
  const started = performance.now();
  const lab = await createLab(options);
  t.after(() => lab.destroy());
  t.diagnostic(`lab ${lab.names.id} up in ${Math.round(performance.now() - started)} ms`);
  return lab;
}

test("lab comes up; wg-quick prefers the IPv6 address and the tunnel works", opts, async (t) => {
  const lab = await labFor(t);
  const server = lab.server(0);
  assert.deepEqual((await lab.resolve(server.hostname)).sort(), ["192.0.2.1", "2001:db8:1::1"]);
  assert.equal(await lab.liveEndpoint(0), "[2001:db8:1::1]:51820");
  assert.equal(await lab.tunnelWorks(0, { timeoutMs: 3_000 }), true);
  const peer = await lab.peer(0);
  assert.ok(peer.latestHandshake > 0, "a handshake happened");
  assert.equal(peer.persistentKeepalive, null);
});

test("silently broken IPv6 stops the tunnel; wg set to IPv4 repairs it", opts, async (t) => {
  const lab = await labFor(t);
  await lab.breakIpv6Silently();
  assert.equal(await lab.tunnelWorks(0, { timeoutMs: 2_500 }), false, "tunnel should be broken");
  assert.equal(await lab.liveEndpoint(0), "[2001:db8:1::1]:51820", "server must not roam it");

  const started = performance.now();
  const set = await lab.clientExec([
    "wg",
    "set",
    lab.interface,
    "peer",
    lab.server(0).publicKey,
    "endpoint",
    "192.0.2.1:51820",
  ]);
  assert.equal(set.exitCode, 0, set.stderr);
  assert.equal(await lab.tunnelWorks(0, { timeoutMs: 8_000 }), true);
  t.diagnostic(`tunnel back ${Math.round(performance.now() - started)} ms after wg set`);
  assert.equal(await lab.liveEndpoint(0), "192.0.2.1:51820");

  await lab.repairIpv6();
  await lab.setEndpoint(0, "[2001:db8:1::1]:51820");
  assert.equal(await lab.tunnelWorks(0, { timeoutMs: 3_000 }), true, "repairIpv6 undoes it");
});

test("setDns changes what the client namespace resolves", opts, async (t) => {
  const lab = await labFor(t);
  const name = lab.server(0).hostname;
  await lab.setDns(name, ["203.0.113.5"]);
  assert.deepEqual(await lab.resolve(name), ["203.0.113.5"]);
  await lab.setDns(name, ["2001:db8:2::5", "198.51.100.5", "198.51.100.6"]);
  assert.deepEqual((await lab.resolve(name)).sort(), [
    "198.51.100.5",
    "198.51.100.6",
    "2001:db8:2::5",
  ]);
  await lab.setDns("other.wgem.test", ["2001:db8:2::7"]);
  assert.deepEqual(await lab.resolve("other.wgem.test"), ["2001:db8:2::7"]);
  await lab.setDns(name, []);
  assert.deepEqual(await lab.resolve(name), []);
  assert.deepEqual(await lab.resolve("other.wgem.test"), ["2001:db8:2::7"], "other names stay");
  const hosts = await lab.clientExec(["getent", "hosts", "www.example.com"]);
  assert.notEqual(hosts.exitCode, 0, "names outside the lab do not resolve");
});

test("a silent-dead address swallows pings without any error", opts, async (t) => {
  const lab = await labFor(t);
  for (const address of ["198.51.100.99", "2001:db8:2::99", "192.0.2.99"]) {
    await lab.addServerAddress(address);
    const alive = await lab.clientExec(["ping", "-n", "-c", "1", "-W", "1", address]);
    assert.equal(alive.exitCode, 0, `${address} answers before: ${alive.stdout}`);
    await lab.makeSilentDead(address);
    const dead = await lab.clientExec(["ping", "-n", "-c", "1", "-W", "1", address]);
    assert.equal(dead.exitCode, 1, `${address}: no reply, no error: ${dead.stdout}${dead.stderr}`);
    assert.doesNotMatch(dead.stdout, /nreachable|errors/);
    assert.ok(dead.durationMs >= 900, `${address}: silent means waiting (${dead.durationMs} ms)`);
    t.diagnostic(`ping to dead ${address} took ${dead.durationMs} ms`);
    await lab.revive(address);
    const back = await lab.clientExec(["ping", "-n", "-c", "1", "-W", "1", address]);
    assert.equal(back.exitCode, 0, `${address} answers after revive`);
  }
});

test("two servers on one client interface both work", opts, async (t) => {
  const lab = await labFor(t, { servers: [{}, {}] });
  assert.equal(lab.servers.length, 2);
  assert.equal(await lab.liveEndpoint(0), "[2001:db8:1::1]:51820");
  assert.equal(await lab.liveEndpoint(1), "[2001:db8:2::1]:51821");
  assert.equal(await lab.tunnelWorks(0, { timeoutMs: 3_000 }), true);
  assert.equal(await lab.tunnelWorks(1, { timeoutMs: 3_000 }), true);

  await lab.makeSilentDead("2001:db8:2::1");
  assert.equal(await lab.tunnelWorks(1, { timeoutMs: 2_500 }), false, "peer 2 broken");
  assert.equal(await lab.tunnelWorks(0, { timeoutMs: 3_000 }), true, "peer 1 unaffected");
});

test("fault helpers: loud IPv6, no echo, no UDP over IPv6, moved server", opts, async (t) => {
  const lab = await labFor(t);
  const ping = (address: string) =>
    lab.clientExec(["ping", "-n", "-c", "1", "-W", "1", address]).then((r) => r.exitCode);

  // Loud: the client's own UDP sends to 2001:db8::/32 fail at once (EPERM).
  await lab.breakIpv6Loudly();
  const send = await lab.clientExec([process.execPath, "--input-type=module", "-e", UDP_SEND]);
  assert.equal(send.stdout.trim(), "EPERM");
  assert.equal(await lab.tunnelWorks(0, { timeoutMs: 1_500 }), false);
  await lab.repairIpv6();
  assert.equal(await lab.tunnelWorks(0, { timeoutMs: 3_000 }), true);

  // No ICMP echo from outside, but the tunnel (and pings inside it) still work.
  await lab.dropIcmpEcho();
  assert.equal(await ping("2001:db8:1::1"), 1);
  assert.equal(await ping("192.0.2.1"), 1);
  assert.equal(await lab.tunnelWorks(0, { timeoutMs: 3_000 }), true);
  await lab.restoreIcmpEcho();
  assert.equal(await ping("192.0.2.1"), 0);

  // UDP over IPv6 dropped: ping6 answers, WireGuard over IPv6 does not.
  await lab.dropUdpOverIpv6(51820);
  assert.equal(await ping("2001:db8:1::1"), 0);
  assert.equal(await lab.tunnelWorks(0, { timeoutMs: 1_500 }), false);
  await lab.restoreUdpOverIpv6(51820);
  assert.equal(await lab.tunnelWorks(0, { timeoutMs: 3_000 }), true);

  // The peer moves: the old address goes silent, the new one answers.
  await lab.addServerAddress("198.51.100.10");
  await lab.setEndpoint(0, "198.51.100.10:51820");
  assert.equal(await lab.tunnelWorks(0, { timeoutMs: 3_000 }), true);
  await lab.moveServer("198.51.100.10", "198.51.100.20");
  assert.equal(await ping("198.51.100.10"), 1);
  assert.equal(await lab.tunnelWorks(0, { timeoutMs: 1_500 }), false);
  await lab.setEndpoint(0, "198.51.100.20:51820");
  assert.equal(await lab.tunnelWorks(0, { timeoutMs: 3_000 }), true);
});

/** Prints the error code of one UDP send to [2001:db8:1::1]:9, or "ok". */
const UDP_SEND = `
import dgram from "node:dgram";
const socket = dgram.createSocket("udp6");
socket.send(Buffer.from("x"), 9, "2001:db8:1::1", (error) => {
  console.log(error?.code ?? "ok");
  socket.close();
});
`;
