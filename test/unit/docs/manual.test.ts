/**
 * The man page (contrib/wg-endpoint-manager.8), README.md, `--help` and the example settings
 * file (contrib/config.yaml) describe one tool: every option of `--help`, every exit status and
 * every setting must appear in each of them. Whoever adds an option, a setting or a status gets
 * a failing test naming the file to update.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { HELP } from "../../../src/cli/help.js";
import { SIGNAL_EXIT } from "../../../src/common/signals.js";
import { EXIT } from "../../../src/pass/exit-code.js";
import { loadSettings } from "../../../src/settings/load.js";
import { DEFAULTS } from "../../../src/settings/schema.js";
import { repoRoot } from "../../support/paths.js";

const MAN_FILE = join(repoRoot, "contrib", "wg-endpoint-manager.8");
const EXAMPLE_FILE = join(repoRoot, "contrib", "config.yaml");
const README = readFileSync(join(repoRoot, "README.md"), "utf8");
/** The man page's text with roff's `\-` as a plain hyphen. */
const MAN = readFileSync(MAN_FILE, "utf8").replaceAll("\\-", "-");

test("--help's options are read from HELP (the test would pass on nothing otherwise)", () => {
  const options = helpOptions();
  for (const o of ["-i", "--interface", "--dry-run", "--dryrun", "--log-format", "--peer"])
    assert.ok(options.includes(o), `${o} in ${options.join(" ")}`);
});

test("the man page and README name every option of --help", () => {
  const missing = (text: string) => helpOptions().filter((o) => !hasToken(text, o));
  assert.deepEqual(missing(MAN), [], "options missing from contrib/wg-endpoint-manager.8");
  assert.deepEqual(missing(README), [], "options missing from README.md");
});

test("the man page describes each command of --help", () => {
  const commands = [...section(HELP, "Commands:", "\n\n").matchAll(/^ {2}(\w+)/gm)].map(
    (m) => m[1],
  );
  assert.deepEqual(commands, ["run", "watch", "status"]);
  const described = section(MAN, ".SH COMMANDS", ".SH ");
  for (const c of commands) assert.match(described, new RegExp(`^\\.BR? ${c}\\b`, "m"), c);
});

test("the man page, README and --help list exactly the exit statuses the code uses", () => {
  const codes = [...Object.values(EXIT), ...Object.values(SIGNAL_EXIT)]
    .map(String)
    .sort((a, b) => Number(a) - Number(b));
  const numbers = (text: string | undefined) => (text ?? "").match(/\d+/g) ?? [];
  const man = [...section(MAN, ".SH EXIT STATUS", ".SH ").matchAll(/^\.TP\n\.BR? (.+)$/gm)];
  assert.deepEqual(
    man.flatMap((m) => numbers(m[1])),
    codes,
    "contrib/wg-endpoint-manager.8, EXIT STATUS",
  );
  const readme = [...section(README, "### Exit status", "\n## ").matchAll(/^\| ([\d, ]+) \|/gm)];
  assert.deepEqual(
    readme.flatMap((m) => numbers(m[1])),
    codes,
    "README.md, Exit status",
  );
  const help = section(HELP, "Exit status:", "\n\n");
  for (const c of codes) assert.ok(hasToken(help, c), `--help names exit status ${c}`);
});

test("the man page, README and the example settings file name every setting", () => {
  const keys = settingKeys(DEFAULTS);
  assert.ok(keys.includes("watch.silenceMs") && keys.length >= 18, keys.join(" "));
  const man = section(MAN, ".SH SETTINGS", ".SH ");
  const example = readFileSync(EXAMPLE_FILE, "utf8");
  for (const key of keys) {
    assert.match(man, new RegExp(`^\\.BR ${literal(key)} `, "m"), `${key} in the man page`);
    assert.ok(README.includes(`| \`${key}\` |`), `${key} in README's settings table`);
    const leaf = key.split(".").at(-1) ?? key;
    assert.match(example, new RegExp(`^#\\s+${leaf}:`, "m"), `${key} in contrib/config.yaml`);
  }
});

test("the example settings file changes nothing, and uncommented it is valid", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wgem-example-"));
  const asShipped = await loadSettings(EXAMPLE_FILE, dir);
  assert.deepEqual(asShipped.settings, DEFAULTS);

  const uncommented = readFileSync(EXAMPLE_FILE, "utf8")
    .split("\n")
    .filter((line) => /^# ?\s*("[^"]*"|[A-Za-z][\w.]*):( |$)/.test(line))
    .map((line) => line.replace(/^# ?/, ""))
    .join("\n");
  const file = join(dir, "config.yaml");
  writeFileSync(file, uncommented);
  const { settings } = await loadSettings(file, dir);
  const key = "fFZZy7EIFsMwoOLXJgeJOV3S0XAB9VaW7Ig7Dq12zCI=";
  assert.deepEqual(settings, {
    ...DEFAULTS,
    peers: {
      [key]: {
        verifyAddress: "172.25.1.1",
        fallbackEndpoints: [
          { host: "vpn.example.com", port: 443 },
          { host: "2001:db8::9", port: 51820 },
        ],
        family: "ipv4",
        holdDownSeconds: 600,
        ignore: false,
      },
    },
  });
});

// --- internal ---

/** Every `-x` and `--long` that HELP mentions, in order, without repeats. */
function helpOptions(): string[] {
  return [...new Set([...HELP.matchAll(/(?<![\w-])--?[a-z][\w-]*/g)].map((m) => m[0]))];
}

/** `token` in `text`, not as part of a longer option or word. */
function hasToken(text: string, token: string): boolean {
  return new RegExp(`(?<![\\w-])${literal(token)}(?![\\w-])`).test(text);
}

/** The text from `start` to the next `end` (throws when `start` is missing). */
function section(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  assert.ok(from >= 0, `no "${start}"`);
  const to = text.indexOf(end, from + start.length);
  return text.slice(from, to < 0 ? undefined : to);
}

/** Dotted names of every setting with a default (`peers` is per peer, not a setting). */
function settingKeys(value: object, prefix = ""): string[] {
  return Object.entries(value).flatMap(([k, v]) => {
    if (k === "peers") return [];
    const isGroup = typeof v === "object" && v !== null && !Array.isArray(v);
    return isGroup ? settingKeys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`];
  });
}

/** `text` as a literal in a RegExp. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
