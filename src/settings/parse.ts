import { extname } from "node:path";
import { echoValue, markControls, redactKeys } from "../common/redact.js";
import { repeatedJsonKey } from "./json-keys.js";
import { SettingsError } from "./validate.js";

/** How a settings file is read, by its name. */
export type SettingsFormat = "json" | "yaml" | "script";

/** `.json` is JSON; `.js`, `.cjs`, `.mjs`, `.ts` and the like are scripts; anything else is YAML. */
export function formatOf(file: string): SettingsFormat {
  const ext = extname(file).toLowerCase();
  if (ext === ".json") return "json";
  return SCRIPT.has(ext) ? "script" : "yaml";
}

/**
 * Parses the text of a settings file; an empty file is `undefined` (all defaults). YAML is read
 * with the core schema only: plain data, no tags that build objects, no merge keys. The YAML
 * parser is loaded only here, so a run with no settings file (or a JSON one) never pays for it.
 */
export async function parseSettingsText(
  text: string,
  file: string,
  format: "json" | "yaml",
): Promise<unknown> {
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "") return undefined;
  if (format === "json") return parseJson(body, file);
  const yaml = await import("js-yaml");
  try {
    return yaml.load(body, { schema: yaml.CORE_SCHEMA });
  } catch (error) {
    if (!(error instanceof yaml.YAMLException)) throw error;
    throw new SettingsError(
      `${at(file, error.mark)}: not valid YAML: ${markControls(redactKeys(error.reason))}`,
    );
  }
}

// --- internal ---

const SCRIPT = new Set([".js", ".cjs", ".mjs", ".ts", ".cts", ".mts"]);

function parseJson(text: string, file: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // NOTE: V8 may quote the input ('Unexpected token 'a', "abc…" is not valid JSON'): keep the
    // reason, drop the quote, and turn "at position N" into a line and column.
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    const reason = message
      .replace(/, ".*"(\.\.\.)? is not valid JSON$/s, "")
      .replace(/ in JSON at position \d+.*$/s, "");
    const mark = position === undefined ? undefined : lineAndColumn(text, Number(position));
    throw new SettingsError(
      `${at(file, mark)}: not valid JSON: ${markControls(redactKeys(reason))}`,
    );
  }
  // NOTE: JSON.parse keeps a repeated key's last value silently; YAML's parser rejects repeats.
  const repeated = repeatedJsonKey(text);
  if (repeated !== undefined) {
    const where = `${file}:${repeated.line}:${repeated.column}`;
    throw new SettingsError(`${where}: ${echoValue(repeated.key)} is set twice: keep one`);
  }
  return value;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length - 1, column: (before.at(-1) ?? "").length };
}

// Marks count from 0; people count from 1.
function at(file: string, mark: { line: number; column: number } | undefined): string {
  return mark === undefined ? file : `${file}:${mark.line + 1}:${mark.column + 1}`;
}
