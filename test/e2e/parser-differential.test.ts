/**
 * The parser against `wg` itself. A few hundred config files, deterministic from a seed
 * (WGEM_PARSER_SEED), plus fixtures/real/*.conf when present, each judged by `wg-quick strip` and
 * `wg setconf` on a wireguard-go interface in a namespace of our own, and read by parseConf:
 * - where `wg` accepts a file, we report no error, and we hold exactly its peers, each with the
 *   endpoint `wg` set: a hostname's address from the namespace's /etc/hosts, with the same port;
 * - where `wg` rejects a file, we report at least one error, naming the file and a line.
 * The deliberate differences (conf-gen.ts DIFFERENCES, README "What it manages") are checked both
 * ways: a file holding one must show it, and no other file may differ. One more difference is not
 * about verdicts: `wg` rejects a whole file for one bad line; we skip the bad [Peer] and keep the rest.
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { canonicalAddress, formatEndpoint, normaliseEndpoint } from "../../src/common/endpoint.js";
import { classifyHost } from "../../src/common/endpoint-host.js";
import { systemServices } from "../../src/common/services.js";
import { parseConf } from "../../src/discover/parse-conf.js";
import type { InterfaceConfig } from "../../src/model.js";
import { edgeFiles } from "../support/conf-edge.js";
import { DIFFERENCES, type Difference, generateConfs, HOSTS } from "../support/conf-gen.js";
import type { WgPeer } from "../support/corpus.js";
import { fixture } from "../support/paths.js";
import { labSkipReason } from "./lab/index.js";
import { createOracle, type Verdict } from "./support/wg-oracle.js";

const skipReason = await labSkipReason();
const SEED = Number(process.env["WGEM_PARSER_SEED"] ?? 20260913);
const COUNT = 400;

// Differences where we report an error and `wg` does not, and how the error reads.
const WE_REJECT: Partial<Record<Difference, RegExp>> = {
  port: /expected a port 1-65535/,
  secretAsPublicKey: /^PublicKey is a private or preshared key of this file/,
  longName: /not a hostname/,
};

test("the parser agrees with wg-quick strip + wg setconf", {
  skip: skipReason ?? false,
}, async (t) => {
  // Short names: wg-quick takes only valid interface names (15 characters at most).
  const cases = new Map<string, Case>();
  const add = (prefix: string, label: string, text: string, differences: readonly Difference[]) =>
    cases.set(`${prefix}${String(cases.size).padStart(4, "0")}`, { label, text, differences });
  for (const [i, f] of generateConfs(SEED, COUNT).entries())
    add("g", `seed ${SEED} #${i}`, f.text, f.differences);
  for (const [label, f] of edgeFiles()) add("e", label, f.text, f.differences);
  for (const [label, text] of await realCorpus()) add("r", label, text, []);
  const hosts = new Map(HOSTS);
  for (const { text } of cases.values()) for (const host of hostnames(text)) addHost(hosts, host);

  const started = performance.now();
  const oracle = await createOracle(hosts);
  t.after(() => oracle.close());
  const verdicts = await oracle.judge(new Map([...cases].map(([n, c]) => [n, c.text])));
  const seen = new Map<string, number>();
  const count = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1);
  for (const [name, { label, text, differences }] of cases) {
    const file = `/etc/wireguard/${name}.conf`;
    const ours = parseConf(text, file, name, { services: systemServices() });
    const verdict = verdicts.get(name) as Verdict;
    const why = `${name} (${label}):\n${text}\n-- ours: ${JSON.stringify(ours.problems.map((p) => `${p.at?.line}: ${p.message}`))}\n-- wg: ${verdict.accepted ? "accepted" : verdict.error}`;
    for (const p of ours.problems) assert.ok(p.at?.file === file && (p.at.line ?? 0) >= 1, why);
    count(verdict.accepted ? "wg accepts" : `wg rejects (${verdict.stage})`);
    if (verdict.accepted) {
      const ourRejects = differences.filter((d) => WE_REJECT[d] !== undefined);
      for (const p of ours.problems) {
        assert.ok(
          ourRejects.some((d) => WE_REJECT[d]?.test(p.message)),
          `unexpected error in ${why}`,
        );
      }
      for (const d of ourRejects) if (ours.problems.length > 0) count(`difference: ${d}`);
      if (ours.problems.length === 0) comparePeers(ours, verdict.peers, hosts, why);
    } else if (ours.problems.length === 0) {
      const ourAccepts = differences.filter((d) => WE_REJECT[d] === undefined);
      assert.ok(ourAccepts.length > 0, `wg rejects, we report nothing: ${why}`);
      for (const d of ourAccepts) count(`difference: ${d}`);
    }
  }
  const elapsed = Math.round(performance.now() - started);
  t.diagnostic(`${cases.size} files in ${elapsed} ms: ${JSON.stringify(Object.fromEntries(seen))}`);
  for (const d of Object.keys(DIFFERENCES))
    assert.ok(seen.has(`difference: ${d}`), `never exercised: ${d}`);
  assert.ok((seen.get("wg accepts") ?? 0) >= COUNT / 4, "too few files that wg accepts");
  assert.ok((seen.get("wg rejects (wg setconf)") ?? 0) >= COUNT / 10, "too few files wg rejects");
  assert.ok((seen.get("wg rejects (wg-quick strip)") ?? 0) >= 1, "no file that wg-quick rejects");
});

// --- internal ---

interface Case {
  readonly label: string;
  readonly text: string;
  readonly differences: readonly Difference[];
}

// Every peer `wg` set is ours, and each endpoint is what `wg` made of the same host and port.
function comparePeers(
  ours: InterfaceConfig,
  peers: readonly WgPeer[],
  hosts: ReadonlyMap<string, string>,
  why: string,
): void {
  const expected = new Map(
    ours.peers.map((p) => {
      if (p.endpoint === undefined) return [p.publicKey, "(none)"];
      const kind = classifyHost(p.endpoint.host);
      // NOTE: wireguard-go's dump drops an IPv6 zone (`[fe80::1%lo]` reads back as `[fe80::1]`).
      const literal = p.endpoint.host.split("%")[0];
      const address = kind.kind === "name" ? hosts.get(p.endpoint.host.toLowerCase()) : literal;
      return [p.publicKey, formatEndpoint(canonicalAddress(address ?? "?"), p.endpoint.port)];
    }),
  );
  const dumped = new Map(peers.map((p) => [p.publicKey, p.endpoint ?? "(none)"]));
  // Both sides in one spelling: the dump writes `::ffff:192.0.2.1`, canonicalAddress `::ffff:c000:201`.
  const same = (m: ReadonlyMap<string, string>) =>
    new Map([...m].map(([k, e]) => [k, normaliseEndpoint(e) ?? e] as const).sort());
  assert.deepEqual(same(dumped), same(expected), why);
}

// Names in Endpoint lines, for /etc/hosts; conf-gen's names are there already.
function hostnames(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split("\n")) {
    const match = /^\s*endpoint\s*=\s*\[?([A-Za-z0-9_.-]+?)\]?:[^:]+$/i.exec(
      line.split("#")[0] ?? "",
    );
    if (match?.[1] && classifyHost(match[1]).kind === "name") found.push(match[1].toLowerCase());
  }
  return found;
}

function addHost(hosts: Map<string, string>, host: string): void {
  if (hosts.has(host) || host === "nowhere.example.test") return;
  hosts.set(host, `198.51.100.${100 + (hosts.size % 150)}`);
}

async function realCorpus(): Promise<Map<string, string>> {
  const dir = fixture("real");
  const names = await readdir(dir).catch(() => [] as string[]);
  const files = new Map<string, string>();
  for (const [i, name] of names
    .filter((n) => n.endsWith(".conf"))
    .sort()
    .entries()) {
    files.set(`r${String(i).padStart(4, "0")}`, await readFile(join(dir, name), "utf8"));
  }
  return files;
}
