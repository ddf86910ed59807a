/**
 * The corpus of real-world configs in fixtures/real/ and what fixtures/real/expected.json says
 * about each file: what `wg` itself does with it (recorded by test/e2e/corpus-wg.test.ts) and
 * what the tool must report.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fixture } from "./paths.js";

/** A peer as `wg show IFACE dump` lists it after `wg setconf`; endpoint null for `(none)`. */
export interface WgPeer {
  readonly publicKey: string;
  readonly endpoint: string | null;
}

/** A peer whose Endpoint is a hostname: the peers the tool manages. */
export interface ManagedExpectation {
  readonly publicKey: string;
  readonly host: string;
  readonly port: number;
}

/** A problem the tool must report for a file, by line (undefined: the whole file). */
export interface ProblemExpectation {
  readonly severity: "error" | "warning";
  readonly line?: number;
  readonly message: string;
}

/** Everything expected.json records about one corpus file. */
export interface CorpusExpectation {
  /** What `wg-quick strip FILE | wg setconf` does with the file. */
  readonly wg: "accepts" | "rejects";
  /** wg's stderr when it rejects the file. */
  readonly wgError?: string;
  /** The peers wg set, by public key, with the endpoints it resolved (accepted files only). */
  readonly peers: readonly WgPeer[];
  /** The peers wg was given a hostname for, by public key (accepted files only). */
  readonly managed: readonly ManagedExpectation[];
  /** Whether the SaveConfig warning must be given (a managed peer would be lost). */
  readonly saveConfigWarning: boolean;
  /** The problems the parser must report, exactly. */
  readonly problems: readonly ProblemExpectation[];
}

/** expected.json: one entry per corpus file, by file name. */
export type CorpusExpectations = Readonly<Record<string, CorpusExpectation>>;

/** The corpus's file names (`*.conf` in fixtures/real/), sorted. */
export function corpusFiles(): string[] {
  return readdirSync(fixture("real"))
    .filter((name) => name.endsWith(".conf"))
    .sort();
}

/** The path of a corpus file. */
export function corpusPath(name: string): string {
  return fixture("real", name);
}

/** The path of expected.json. */
export const EXPECTED_FILE = fixture("real", "expected.json");

/** The hosts(5) file that gives every Endpoint name in the corpus its address. */
export const HOSTS_FILE = fixture("real", "hosts");

/** Reads expected.json. */
export function readExpectations(): CorpusExpectations {
  return JSON.parse(readFileSync(EXPECTED_FILE, "utf8")) as CorpusExpectations;
}

/** The expectation for one file; throws when expected.json has none (a new file needs one). */
export function expectationFor(expected: CorpusExpectations, name: string): CorpusExpectation {
  const entry = expected[name];
  if (entry === undefined) {
    throw new Error(
      `fixtures/real/expected.json has no entry for ${name}; record one with WGEM_CORPUS_UPDATE=1 node --test dist/test/e2e/corpus-wg.test.js`,
    );
  }
  return entry;
}

/** Address -> name from the corpus hosts file (each name has an address of its own). */
export function readHosts(): Map<string, string> {
  const byAddress = new Map<string, string>();
  for (const raw of readFileSync(HOSTS_FILE, "utf8").split("\n")) {
    const [address, name] = raw.replace(/#.*/, "").trim().split(/\s+/);
    if (address !== undefined && name !== undefined && name !== "localhost") {
      byAddress.set(address, name);
    }
  }
  return byAddress;
}
