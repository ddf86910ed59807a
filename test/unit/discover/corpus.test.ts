/**
 * The tool's parser on the corpus of real-world configs (fixtures/real/, see SOURCES.md): every
 * file gives exactly the managed peers that `wg` set from a hostname Endpoint, exactly the
 * problems expected.json lists, and the SaveConfig warning only where a managed peer would be
 * lost. What `wg` does with each file is recorded, and re-checked, by test/e2e/corpus-wg.test.ts.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { literalFamily } from "../../../src/common/endpoint.js";
import { readInterfaceFile } from "../../../src/discover/discover.js";
import { saveConfigWarning } from "../../../src/discover/save-config.js";
import type { InterfaceConfig, ManagedPeer, Peer, Problem } from "../../../src/model.js";
import {
  corpusFiles,
  corpusPath,
  expectationFor,
  type ProblemExpectation,
  readExpectations,
} from "../../support/corpus.js";

const expected = readExpectations();

test("the corpus has at least 30 files, each with an entry in expected.json", () => {
  const files = corpusFiles();
  assert.ok(files.length >= 30, `${files.length} files`);
  for (const name of files) expectationFor(expected, name);
  assert.deepEqual(Object.keys(expected).sort(), files, "no entry without its file");
});

for (const name of corpusFiles()) {
  test(`${name}: managed peers, problems and the SaveConfig warning as expected.json says`, async () => {
    const want = expectationFor(expected, name);
    const config = await read(name);
    assert.deepEqual(config.problems.map(shape), want.problems, "problems");
    const managed = config.peers.filter(isManaged);
    // A file wg rejects sets no peer at all; which peers the tool keeps from it is its own
    // policy (it reports the file as broken either way), so only accepted files are compared.
    if (want.wg === "accepts") {
      assert.deepEqual(managed.map(summary).sort(byKey), want.managed, "managed peers");
    }
    const warning = saveConfigWarning(config, managed);
    assert.equal(warning !== undefined, want.saveConfigWarning, "SaveConfig warning");
  });
}

// --- internal ---

async function read(name: string): Promise<InterfaceConfig> {
  const result = await readInterfaceFile(corpusPath(name));
  if (!("peers" in result)) assert.fail(`${name}: ${result.message}`);
  return result;
}

function isManaged(peer: Peer): peer is ManagedPeer {
  return peer.endpoint !== undefined && literalFamily(peer.endpoint.host) === undefined;
}

function summary(peer: ManagedPeer): { publicKey: string; host: string; port: number } {
  return { publicKey: peer.publicKey, host: peer.endpoint.host, port: peer.endpoint.port };
}

function byKey(a: { publicKey: string }, b: { publicKey: string }): number {
  return a.publicKey < b.publicKey ? -1 : a.publicKey > b.publicKey ? 1 : 0;
}

function shape(problem: Problem): ProblemExpectation {
  const line = problem.at?.line;
  const base = { severity: problem.severity, message: problem.message };
  return line === undefined ? base : { severity: problem.severity, line, message: problem.message };
}
