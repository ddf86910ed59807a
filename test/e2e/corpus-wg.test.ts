/**
 * End-to-end: what `wg` itself does with every file of the corpus (fixtures/real/), checked
 * against fixtures/real/expected.json: accepted or rejected (with wg's error), the peers it sets
 * (sorted by public key) with the endpoints it resolves, and which of them it was given a hostname for (their endpoint is
 * a corpus hosts-file address). The unit test test/unit/discover/corpus.test.ts holds the tool's
 * parser to the same file.
 *
 * Recording a new or changed file: WGEM_CORPUS_UPDATE=1 node --test dist/test/e2e/corpus-wg.test.js
 * rewrites the wg-derived fields of expected.json and keeps the hand-written ones (problems,
 * saveConfigWarning).
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { test } from "node:test";
import {
  type CorpusExpectation,
  corpusFiles,
  corpusPath,
  EXPECTED_FILE,
  HOSTS_FILE,
  type ManagedExpectation,
  readExpectations,
  readHosts,
} from "../support/corpus.js";
import { labSkipReason } from "./lab/index.js";
import { createOracle, type Verdict } from "./support/wg-oracle.js";

const skip = await labSkipReason();
const update = process.env["WGEM_CORPUS_UPDATE"] === "1";

test("wg reads every corpus file as expected.json records", skip ? { skip } : {}, async (t) => {
  const hosts = readHosts();
  const expected = readExpectations();
  const recorded: Record<string, CorpusExpectation> = {};
  // The files as they are (bytes), under their own names: wg-quick derives the interface from it.
  const files = new Map<string, Buffer>();
  for (const name of corpusFiles()) files.set(stem(name), await readFile(corpusPath(name)));
  const started = performance.now();
  const oracle = await createOracle(await readFile(HOSTS_FILE, "utf8"));
  t.after(() => oracle.close());
  const verdicts = await oracle.judge(files);
  t.diagnostic(`${files.size} files judged by wg in ${Math.round(performance.now() - started)} ms`);
  for (const name of corpusFiles()) {
    const verdict = verdicts.get(stem(name));
    assert.ok(verdict !== undefined, `${name}: no verdict from wg`);
    const truth = fromWg(verdict, hosts);
    t.diagnostic(`${name}: wg ${truth.wg}`);
    const old = expected[name];
    recorded[name] = {
      ...truth,
      saveConfigWarning: old?.saveConfigWarning ?? false,
      problems: old?.problems ?? [],
    };
    if (!update) {
      assert.ok(
        old !== undefined,
        `${name}: no entry in expected.json (record with WGEM_CORPUS_UPDATE=1)`,
      );
      assert.deepEqual(truth, wgPart(old), `${name}: wg's verdict differs from expected.json`);
    }
  }
  if (update) await writeFile(EXPECTED_FILE, `${JSON.stringify(recorded, null, 2)}\n`);
  assert.ok(corpusFiles().length >= 30, "the corpus has at least 30 files");
});

// --- internal ---

type WgPart = Pick<CorpusExpectation, "wg" | "wgError" | "peers" | "managed">;

function fromWg(verdict: Verdict, hosts: ReadonlyMap<string, string>): WgPart {
  if (!verdict.accepted) return { wg: "rejects", wgError: verdict.error, peers: [], managed: [] };
  // NOTE: wireguard-go lists peers in Go map order, which varies: sort by key.
  const peers = [...verdict.peers].sort((a, b) => compare(a.publicKey, b.publicKey));
  const managed: ManagedExpectation[] = [];
  for (const peer of peers) {
    const split = peer.endpoint === null ? undefined : splitEndpoint(peer.endpoint);
    const host = split === undefined ? undefined : hosts.get(split.address);
    if (split !== undefined && host !== undefined) {
      managed.push({ publicKey: peer.publicKey, host, port: split.port });
    }
  }
  return { wg: "accepts", peers, managed };
}

function wgPart(entry: CorpusExpectation): WgPart {
  const { wg, wgError, peers, managed } = entry;
  return wgError === undefined ? { wg, peers, managed } : { wg, wgError, peers, managed };
}

function stem(name: string): string {
  return name.replace(/\.conf$/, "");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `a.b.c.d:port` or `[v6]:port`, as wg prints endpoints. */
function splitEndpoint(endpoint: string): { address: string; port: number } {
  const colon = endpoint.lastIndexOf(":");
  const address = endpoint.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  return { address, port: Number(endpoint.slice(colon + 1)) };
}
