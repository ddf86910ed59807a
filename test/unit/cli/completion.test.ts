/**
 * The bash, zsh and fish completions (contrib/completions/, made from src/cli/options.ts) offer
 * exactly the options the parser takes, the commands, the choices, and the interface names of the
 * config folder: each asked through the real shell's completion machinery.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { bashCompletion } from "../../../scripts/completion/bash.js";
import { fishCompletion } from "../../../scripts/completion/fish.js";
import type { ManagerFolders } from "../../../scripts/completion/managers.js";
import { zshCompletion } from "../../../scripts/completion/zsh.js";
import { GENERATED } from "../../../scripts/generated.js";
import { HELP } from "../../../src/cli/help.js";
import { COMMANDS, FAMILIES, LOG_FORMATS, OPTIONS } from "../../../src/cli/options.js";
import { fixture, repoRoot } from "../../support/paths.js";

const DIR = join(repoRoot, "contrib", "completions");
const CONF_DIR = fixture("conf");
const CONF_NAMES = readdirSync(CONF_DIR)
  .filter((f) => f.endsWith(".conf"))
  .map((f) => f.slice(0, -5))
  .sort();

/** Every spelling of every option the parser takes. */
const SPELLINGS = Object.entries(OPTIONS)
  .flatMap(([name, o]) => [`--${name}`, ...("short" in o ? [`-${o.short}`] : [])])
  .sort();

/** The managers' folders as the fixtures stand for them, with one that does not exist. */
const MANAGERS: ManagerFolders = {
  networkd: ["etc", "run", "none", "usr-lib"].map((d) => fixture("managers", "networkd", d)),
  networkManager: ["run", "etc"].map((d) => fixture("managers", "nm", d)),
};

/** What `shell` offers for `line` followed by TAB (scripts from `dir`, else contrib's). */
type Shell = (line: string, dir?: string) => string[];

const bash: Shell = (line, dir = DIR) => {
  const script = `source ${join(dir, "wg-endpoint-manager.bash")}
read -r -a COMP_WORDS <<<"$LINE"
[[ $LINE == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((\${#COMP_WORDS[@]} - 1))
_wg_endpoint_manager
printf '%s\\n' "\${COMPREPLY[@]}"`;
  return run("bash", ["--norc", "-c", script], line);
};

const zsh: Shell = (line, dir = DIR) =>
  run("zsh", ["-f", join(repoRoot, "test", "support", "zsh-complete.zsh"), dir, line], line);

const fish: Shell = (line, dir = DIR) =>
  run(
    "fish",
    ["-N", "-c", `source ${join(dir, "wg-endpoint-manager.fish")}; complete -C "$LINE"`],
    line,
  ).map((w) => w.split("\t")[0] ?? "");

const SHELLS: Readonly<Record<string, Shell>> = { bash, zsh, fish };

test("the completion files are what src/cli/options.ts makes (npm run generate)", () => {
  for (const [file, make] of Object.entries(GENERATED))
    assert.equal(readFileSync(join(repoRoot, file), "utf8"), make(), file);
});

test("--help and the option table name the same options", () => {
  // The options, and the original script's flags (--peer, --host, --port) below them.
  const options = section(HELP, "Options:", "\nExit status:");
  const inHelp = [...new Set(options.match(/(?<![\w-])--?[a-z][a-z-]*/g) ?? [])].sort();
  assert.deepEqual(inHelp, SPELLINGS);
});

test("the shells' menus can hold every help text (no quote or colon)", () => {
  for (const [name, o] of Object.entries(OPTIONS)) assert.doesNotMatch(o.help, /['":]/, name);
  for (const [name, help] of Object.entries(COMMANDS)) assert.doesNotMatch(help, /['"]/, name);
});

for (const [name, complete] of Object.entries(SHELLS)) {
  test(`${name}: every option after "-", and nothing else`, () => {
    assert.deepEqual(uniq(complete("wg-endpoint-manager -")), SPELLINGS);
  });

  test(`${name}: the commands in first place, none once one is given`, () => {
    assert.deepEqual(uniq(complete("wg-endpoint-manager ")), Object.keys(COMMANDS).sort());
    assert.deepEqual(uniq(complete("wg-endpoint-manager wa")), ["watch"]);
    // zsh offers the options there (they may follow the command); no shell offers a command.
    const after = complete("wg-endpoint-manager watch ");
    assert.deepEqual(
      after.filter((w) => Object.hasOwn(COMMANDS, w)),
      [],
    );
    assert.ok(
      after.every((w) => SPELLINGS.includes(w)),
      after.join(" "),
    );
  });

  test(`${name}: interface names from the config folder the line names`, () => {
    // No manager's file: the names are the config folder's alone, whatever this host holds.
    const dir = scriptsFor({ networkd: [emptyDir()], networkManager: [emptyDir()] });
    for (const flag of ["-i", "--interface", "--exclude"])
      assert.deepEqual(
        uniq(complete(`wg-endpoint-manager --config-dir ${CONF_DIR} ${flag} `, dir)),
        CONF_NAMES,
        flag,
      );
    assert.deepEqual(uniq(complete(`wg-endpoint-manager --config-dir ${CONF_DIR} -i w`, dir)), [
      "wg0",
    ]);
  });

  test(`${name}: interface names from networkd's .netdev files and NetworkManager's keyfiles too`, () => {
    const dir = scriptsFor(MANAGERS);
    const empty = emptyDir();
    // wg99 twice (etc, usr-lib), wg-office (etc; usr-lib's wg-shadowed is shadowed), wg0 (run),
    // wg1 and wg-nm (nm); not wg-masked (an empty file of its name in etc), dummy98 (Kind=dummy),
    // eth0 (type=ethernet) nor wg-broken (a line GLib refuses).
    const managed = ["wg-nm", "wg-office", "wg0", "wg1", "wg99"];
    for (const flag of ["-i", "--exclude"])
      assert.deepEqual(
        uniq(complete(`wg-endpoint-manager --config-dir ${empty} ${flag} `, dir)),
        managed,
        flag,
      );
    assert.deepEqual(
      uniq(complete(`wg-endpoint-manager --config-dir ${CONF_DIR} --interface `, dir)),
      uniq([...CONF_NAMES, ...managed]),
    );
  });

  test(`${name}: the choices of --family and --log-format`, () => {
    assert.deepEqual(uniq(complete("wg-endpoint-manager --family ")), [...FAMILIES].sort());
    assert.deepEqual(uniq(complete("wg-endpoint-manager --log-format ")), [...LOG_FORMATS].sort());
  });
}

// --- internal ---

/** A folder holding the three scripts made for `folders`. */
function scriptsFor(folders: ManagerFolders): string {
  const dir = mkdtempSync(join(tmpdir(), "wgem-completion-"));
  writeFileSync(join(dir, "wg-endpoint-manager.bash"), bashCompletion(folders));
  writeFileSync(join(dir, "_wg-endpoint-manager"), zshCompletion(folders));
  writeFileSync(join(dir, "wg-endpoint-manager.fish"), fishCompletion(folders));
  return dir;
}

function emptyDir(): string {
  return mkdtempSync(join(tmpdir(), "wgem-empty-"));
}

function run(program: string, args: readonly string[], line: string): string[] {
  const result = spawnSync(program, args, {
    env: { PATH: process.env["PATH"], HOME: "/nonexistent", LINE: line },
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 20_000,
  });
  assert.equal(result.status, 0, `${program}: ${result.stderr}`);
  // Quiet: a folder that does not exist, or cannot be read, prints nothing.
  assert.equal(result.stderr.replace(/^\s+$/, ""), "", `${program}: ${result.stderr}`);
  return result.stdout.split("\n").filter((w) => w !== "");
}

function uniq(words: readonly string[]): string[] {
  return [...new Set(words)].sort();
}

function section(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  return text.slice(from, to);
}
