import { parseEndpoint } from "../common/endpoint.js";
import { isWireGuardKey } from "../common/wireguard-key.js";
import type { InterfaceConfig, Peer, Problem } from "../model.js";

/**
 * Parses a wg-quick config file as `wg` itself reads it (wireguard-tools src/config.c):
 * everything from the first `#` is dropped, all whitespace is removed, section names and keys
 * are case-insensitive, and any number of [Peer] sections may follow one [Interface].
 * Problems are collected with their line numbers; a bad peer is skipped, the rest is kept.
 */
export function parseConf(text: string, file: string, iface: string): InterfaceConfig {
  const problems: Problem[] = [];
  const peers: Peer[] = [];
  let saveConfig = false;
  for (const section of splitSections(text, file, problems)) {
    if (section.name === "interface") {
      saveConfig ||= section.entries.some((e) => e.key === "saveconfig" && /^true$/i.test(e.value));
    } else if (section.name === "peer") {
      const peer = readPeer(section, file, iface, problems);
      if (peer !== undefined) peers.push(peer);
    }
  }
  return { iface, file, saveConfig, peers, problems };
}

// --- internal ---

interface Entry {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

interface Section {
  readonly name: string;
  readonly line: number;
  readonly entries: Entry[];
}

// NOTE: wg-quick's own keys (PostUp and friends) keep their `#` and spaces, but none of them
// matters here, so one rule for every line is enough.
function splitSections(text: string, file: string, problems: Problem[]): Section[] {
  const sections: Section[] = [];
  let current: Section | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const hash = raw.indexOf("#");
    const clean = (hash < 0 ? raw : raw.slice(0, hash)).replace(/\s+/g, "");
    if (clean === "") return;
    const header = /^\[(.*)\]$/.exec(clean);
    if (header) {
      current = { name: (header[1] ?? "").toLowerCase(), line, entries: [] };
      sections.push(current);
      if (current.name !== "interface" && current.name !== "peer") {
        problems.push(
          configError(
            file,
            line,
            `unknown section "${raw.trim()}"; expected [Interface] or [Peer]`,
          ),
        );
      }
      return;
    }
    const eq = clean.indexOf("=");
    if (eq <= 0) {
      problems.push(configError(file, line, `expected "Key = Value", got "${raw.trim()}"`));
    } else if (current === undefined) {
      problems.push(configError(file, line, "a key before any [Interface] or [Peer] section"));
    } else {
      current.entries.push({
        key: clean.slice(0, eq).toLowerCase(),
        value: clean.slice(eq + 1),
        line,
      });
    }
  });
  return sections;
}

function readPeer(
  section: Section,
  file: string,
  iface: string,
  problems: Problem[],
): Peer | undefined {
  const get = (key: string) => section.entries.findLast((e) => e.key === key);
  const publicKey = get("publickey");
  if (publicKey === undefined) {
    problems.push(configError(file, section.line, "[Peer] has no PublicKey; peer skipped"));
    return undefined;
  }
  if (!isWireGuardKey(publicKey.value)) {
    problems.push(
      configError(
        file,
        publicKey.line,
        "PublicKey is not a 44-character base64 WireGuard key; peer skipped",
      ),
    );
    return undefined;
  }
  const allowedIps = section.entries
    .filter((e) => e.key === "allowedips")
    .flatMap((e) => e.value.split(","))
    .filter((ip) => ip !== "");
  const base = { iface, publicKey: publicKey.value, allowedIps, at: { file, line: section.line } };
  const endpoint = get("endpoint");
  if (endpoint === undefined) return { ...base, endpoint: undefined };
  const parsed = parseEndpoint(endpoint.value);
  if (typeof parsed === "string") {
    problems.push({
      ...configError(file, endpoint.line, `Endpoint "${endpoint.value}": ${parsed}; peer skipped`),
      iface,
      peer: publicKey.value,
    });
    return undefined;
  }
  return { ...base, endpoint: parsed };
}

function configError(file: string, line: number, message: string): Problem {
  return { severity: "error", kind: "config", message, at: { file, line } };
}
