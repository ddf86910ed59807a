// Which text of a config file may be secret, so that no message and no peer field shows it:
// private and preshared keys, whole, wrapped over lines, or broken, and the lines hidden for them.
import { echoWindows, secretWindows } from "../common/redact.js";
import { isWireGuardKey } from "../common/wireguard-key.js";
import { holdsSecret } from "./conf-checks.js";
import type { Section } from "./conf-lines.js";

/** The keys a file holds as secrets, and the 9-character windows of everything that may be one. */
export interface FileSecrets {
  readonly keys: ReadonlySet<string>;
  readonly windows: ReadonlySet<string>;
}

/** The secrets of a file: `text`, read into `sections`. */
export function fileSecrets(text: string, sections: readonly Section[]): FileSecrets {
  const keys = secretValues(sections);
  // A key on a commented-out PrivateKey or PresharedKey line is a secret all the same.
  for (const line of text.split("\n")) {
    const comment = line.slice(line.indexOf("#") + 1).replace(/[ \t\v\f\r]/g, "");
    if (line.includes("#") && /privatekey|presharedkey/i.test(comment)) {
      for (const match of comment.matchAll(KEY_ANYWHERE)) keys.add(match[0]);
    }
  }
  return { keys, windows: secretWindows([...keys, ...hiddenTexts(sections)]) };
}

/** True when `key` is safe to show in full: not a secret, and sharing no 9 characters with one. */
export function showable(key: string, secrets: FileSecrets): boolean {
  return isWireGuardKey(key) && !secrets.keys.has(key) && !echoWindows(key, secrets.windows);
}

// --- internal ---

// Keys that may be secret: the values of PrivateKey and PresharedKey lines, any key on a line that
// names one however broken (`[PrivateKey = …`), and a key on a line of its own (a wrapped one).
function secretValues(sections: readonly Section[]): Set<string> {
  const found = new Set<string>();
  for (const section of sections) {
    const header = section.header.replace(/[ \t\v\f\r]/g, "");
    for (const text of [header, ...section.entries.map((e) => e.text)]) {
      if (/privatekey|presharedkey/i.test(text)) {
        for (const match of text.matchAll(KEY_ANYWHERE)) found.add(match[0]);
      } else if (isWireGuardKey(text)) found.add(text);
    }
    section.entries.forEach((e, i) => {
      if (e.key !== "privatekey" && e.key !== "presharedkey") return;
      found.add(e.value);
      // A key wrapped onto the next lines: its value and the base64 lines that follow, joined.
      const tail = section.entries.slice(i + 1, i + 4);
      const end = tail.findIndex((t) => !/^[A-Za-z0-9+/]+=?$/.test(t.text));
      found.add(
        e.value +
          tail
            .slice(0, end < 0 ? tail.length : end)
            .map((t) => t.text)
            .join(""),
      );
    });
  }
  return found;
}

// What may be a fragment of a key in sections that hold a secret: the values of PrivateKey and
// PresharedKey lines, and whole lines `wg` does not know (a wrapped key's tail may hold a "=").
function hiddenTexts(sections: readonly Section[]): string[] {
  return sections
    .filter((s) => holdsSecret(s.entries))
    .flatMap((s) => s.entries.filter((e) => !PUBLIC_KEYS.has(e.key ?? "")))
    .map((e) => (e.key === "privatekey" || e.key === "presharedkey" ? e.value : e.text));
}

const PUBLIC_KEYS = new Set([
  "publickey",
  "endpoint",
  "allowedips",
  "persistentkeepalive",
  "listenport",
  "fwmark",
]);

const KEY_ANYWHERE = /[A-Za-z0-9+/]{42}[AEIMQUYcgkosw480]=/g;
