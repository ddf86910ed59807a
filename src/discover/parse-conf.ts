import { parseEndpointValue } from "../common/endpoint-parse.js";
import { echo, echoInput, hideKnown } from "../common/redact.js";
import { noServices, type ServiceLookup } from "../common/services.js";
import { isWireGuardKey } from "../common/wireguard-key.js";
import type { HostPort, InterfaceConfig, Peer, Problem } from "../model.js";
import { entryProblem, holdsSecret } from "./conf-checks.js";
import { asciiLower, type QuickEntry, readLines, type Section } from "./conf-lines.js";
import { type FileSecrets, fileSecrets, showable } from "./conf-secrets.js";

// Other modules take the key check from here, where it always was.
export { isWireGuardKey };

/** How many problems one file reports; the rest are counted in one more line. */
export const MAX_PROBLEMS = 20;

/** What parseConf needs from the system: the UDP service names for `host:domain` ports. */
export interface ParseOptions {
  readonly services?: ServiceLookup;
}

/**
 * Parses a wg-quick config file as `wg-quick up` reads it: wg-quick takes its own keys out of
 * [Interface], and `wg setconf` reads the rest (wireguard-tools src/config.c). Every line `wg` would
 * reject is a problem with its line number; a [Peer] with a problem is skipped, the rest is kept
 * (`wg` would reject the whole file). Never throws; never shows a key.
 */
export function parseConf(
  text: string,
  file: string,
  iface: string,
  options: ParseOptions = {},
): InterfaceConfig {
  const services = options.services ?? noServices;
  const { sections, quick, bom } = readLines(text);
  const drafts: Draft[] = [];
  if (bom) drafts.push({ line: 1, message: BOM });
  const saveConfig = readQuick(quick, drafts);
  const secrets = fileSecrets(text, sections);
  const found: FoundPeer[] = [];
  for (const section of sections) {
    if (section.kind === "unknown") {
      drafts.push({ line: section.line, message: unknownHeader(section.header) });
      continue;
    }
    const secret = holdsSecret(section.entries);
    const own: Draft[] = [];
    for (const entry of section.entries) {
      const message = entryProblem(entry, section.kind, secret, services);
      if (message !== undefined) own.push({ line: entry.line, message });
    }
    if (section.kind === "peer") {
      const peer = readPeer(section, own, secrets, services);
      if (peer !== undefined) found.push(peer);
    }
    drafts.push(...own);
  }
  // Defence in depth: no message shows 9 characters of anything that may be a secret, even a
  // fragment of a wrapped key that landed in another section.
  const problems = capped(drafts).map((d) => toProblem(d, file, iface, secrets.windows));
  return { iface, file, saveConfig, peers: mergePeers(found, file, iface), problems };
}

// --- internal ---

interface Draft {
  readonly line: number;
  readonly message: string;
  /** The peer's public key, when known and safe to show. */
  readonly peer?: string;
}

interface FoundPeer {
  readonly publicKey: string;
  readonly endpoint: HostPort | undefined;
  readonly allowedIps: readonly string[];
  readonly line: number;
}

const BOM = "the file starts with a byte order mark (BOM), which wg rejects; save it without one";

function unknownHeader(header: string): string {
  return `section "${echoInput(header)}" is neither [Interface] nor [Peer]; its lines are skipped`;
}

// wg-quick's SaveConfig must be true or false; the last one counts, as in wg-quick.
function readQuick(quick: readonly QuickEntry[], drafts: Draft[]): boolean {
  let save = false;
  for (const q of quick.filter((e) => e.key === "saveconfig")) {
    const value = asciiLower(q.value);
    if (value === "true" || value === "false") save = value === "true";
    else
      drafts.push({
        line: q.line,
        message: `SaveConfig "${echo(q.value)}": expected true or false`,
      });
  }
  return save;
}

// A [Peer] with any problem is skipped; its problems say so and name it when that is safe.
function readPeer(
  section: Section,
  own: Draft[],
  secrets: FileSecrets,
  services: ServiceLookup,
): FoundPeer | undefined {
  const last = (key: string) => section.entries.findLast((e) => e.key === key && e.value !== "");
  const keyEntry = last("publickey");
  if (keyEntry === undefined) {
    own.push({ line: section.line, message: "[Peer] has no PublicKey" });
  } else if (secrets.keys.has(keyEntry.value)) {
    const message =
      "PublicKey is a private or preshared key of this file: use the peer's public key";
    own.push({ line: keyEntry.line, message });
  }
  const shown = keyEntry?.value;
  const safe = shown !== undefined && showable(shown, secrets);
  const named = own.map((d) => ({
    ...d,
    message: `${d.message}; peer skipped`,
    ...(safe ? { peer: shown } : {}),
  }));
  own.splice(0, own.length, ...named);
  if (own.length > 0 || keyEntry === undefined) return undefined;
  const endpointEntry = last("endpoint");
  const endpoint = endpointEntry && parseEndpointValue(endpointEntry.value, services);
  return {
    publicKey: keyEntry.value,
    endpoint: typeof endpoint === "object" ? endpoint : undefined,
    allowedIps: section.entries
      .filter((e) => e.key === "allowedips")
      .flatMap((e) => e.value.split(","))
      .filter((ip) => ip !== ""),
    line: section.line,
  };
}

// Two [Peer] sections with one PublicKey are one peer for `wg`: a later Endpoint replaces an
// earlier one, and a later section's AllowedIPs replace the earlier list.
function mergePeers(found: readonly FoundPeer[], file: string, iface: string): Peer[] {
  const byKey = new Map<string, FoundPeer>();
  for (const p of found) {
    const before = byKey.get(p.publicKey);
    byKey.set(
      p.publicKey,
      before === undefined
        ? p
        : { ...p, endpoint: p.endpoint ?? before.endpoint, line: before.line },
    );
  }
  return [...byKey.values()].map((p) => ({
    iface,
    publicKey: p.publicKey,
    endpoint: p.endpoint,
    allowedIps: p.allowedIps,
    at: { file, line: p.line },
  }));
}

function capped(drafts: Draft[]): Draft[] {
  const sorted = drafts.toSorted((a, b) => a.line - b.line);
  if (sorted.length <= MAX_PROBLEMS) return sorted;
  const first = sorted[MAX_PROBLEMS] as Draft;
  const rest = sorted.length - MAX_PROBLEMS;
  const message = `${rest} more problem${rest === 1 ? "" : "s"} from this line on, not shown`;
  return [...sorted.slice(0, MAX_PROBLEMS), { line: first.line, message }];
}

function toProblem(d: Draft, file: string, iface: string, windows: ReadonlySet<string>): Problem {
  const about = d.peer === undefined ? {} : { iface, peer: d.peer };
  return {
    severity: "error",
    kind: "config",
    message: hideKnown(d.message, windows),
    at: { file, line: d.line },
    ...about,
  };
}
