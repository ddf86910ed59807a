/**
 * Hand-written config files for the edges of `wg`'s format that random files reach rarely: one
 * file per deliberate difference (so each is shown on every seed), the files real writers produce (PiVPN, wg-easy, wgcf, routers),
 * and the corners of wg-quick's and wg's line reading.
 */
import { type Difference, type GenFile, Rng } from "./conf-gen.js";
import { ENDPOINTS } from "./conf-values.js";

/** The edge files, by name; deterministic. */
export function edgeFiles(): Map<string, GenFile> {
  const rng = new Rng(13);
  const priv = rng.key();
  const pub = rng.key();
  const psk = rng.key();
  const iface = `[Interface]\nPrivateKey = ${priv}\n`;
  const peer = (body: string) => `${iface}[Peer]\nPublicKey = ${pub}\n${body}`;
  const files = new Map<string, GenFile>();
  const add = (name: string, text: string, differences: Difference[] = []) =>
    files.set(name, { text, secrets: [priv, psk], differences });
  for (const [i, form] of ENDPOINTS.differences.entries()) {
    add(
      `edge-diff-${i}`,
      peer(`Endpoint = ${form.value}\n`),
      form.difference ? [form.difference] : [],
    );
  }
  add(
    "edge-secret-as-key",
    `${iface}[Peer]\nPublicKey = ${priv}\nEndpoint = vpn.example.test:1\n`,
    ["secretAsPublicKey"],
  );
  add("edge-underscore", peer("Endpoint = vpn_A.example.test:51820\n"));
  add(
    "edge-amnezia",
    `${iface}Jc = 4\nJmin = 40\nJmax = 70\nS1 = 0\nH1 = 1\n[Peer]\nPublicKey = ${pub}\n`,
  );
  add("edge-post-up-spaced", `${iface}Post Up = echo up\n`);
  add("edge-quick-in-peer", peer("DNS = 192.0.2.53\n"));
  add("edge-spaced-header", `[ Interface ]\nPrivateKey = ${priv}\nAddress = 172.25.1.2/24\n`);
  add(
    "edge-spaced-header-plain",
    `[ Interface ]\nPrivateKey = ${priv}\n[ Peer ]\nPublicKey = ${pub}\n`,
  );
  add("edge-header-equals", `[Interface] = x\nPrivateKey = ${priv}\n`);
  add("edge-quick-bare", `${iface}MTU\nDNS\nTable\n`);
  add("edge-saveconfig-bare", `${iface}SaveConfig\n`);
  add("edge-quick-before-section", `Address = 172.25.1.2/24\n${iface}`);
  add(
    "edge-spaced-wg-key",
    peer("End point = vpn.example.test:5 1820\nAllowed IPs = 172.25.1.1 / 32 , ::/0\n"),
  );
  add("edge-nul", `[Inter\0face]\nPrivate\0Key = ${priv}\n`);
  add("edge-bom", `\ufeff${iface}`);
  add("edge-cr-inside", peer(`PresharedKey = ${psk}\rEndpoint = vpn.example.test:1\n`));
  add("edge-nbsp", peer("Endpoint\u00a0= vpn.example.test:1\n"));
  add("edge-kelvin", `${iface}[Peer]\nPublic\u212aey = ${pub}\n`);
  add("edge-empty", "");
  add("edge-comments", "# nothing\n   # at all = [Peer]\n");
  add("edge-empty-peer", `${iface}[Peer]\n`);
  add("edge-endpoint-in-interface", `${iface}Endpoint = vpn.example.test:1\n`);
  add("edge-psk-in-interface", `${iface}PresharedKey = ${psk}\n`);
  add("edge-two-interfaces", `${iface}ListenPort = 1\n[Interface]\nFwMark = 1\n`);
  add("edge-port-with-colon", peer("Endpoint = [2001:db8:1::1]:51820:1\n"));
  add("edge-double-close", peer("Endpoint = [2001:db8:1::1]]:1\n"));
  add("edge-key-with-equals", `${iface}[Peer]\nPublicKey = ${pub.slice(0, 20)}=${pub.slice(21)}\n`);
  add("edge-wrapped-key", `[Interface]\nPrivateKey =\n${priv}\n`);
  add("edge-43-char-key", `${iface}[Peer]\nPublicKey = ${pub.slice(0, 43)}\n`);
  add("edge-peer-psk-header", `${iface}[Peer ${psk}]\nPublicKey = ${pub}\n`);
  add("edge-endpoint-is-key", peer(`Endpoint = ${priv}\n`));
  add("edge-endpoint-is-key-port", peer(`Endpoint = ${priv}:51820\n`));
  add("edge-unicode-name", peer("Endpoint = vpn.exämple.test:1\n"));
  add(
    "edge-same-peer-twice",
    `${peer("Endpoint = vpn.example.test:1\n")}[Peer]\nPublicKey = ${pub}\nAllowedIPs = 172.25.1.1/32\n`,
  );
  return files;
}
