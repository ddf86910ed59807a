import type { JsonSchema } from "./rules.js";
import { DEFAULTS } from "./schema.js";
import { objectSchema, SETTINGS_SHAPE } from "./validate.js";

/** Where the package installs the schema; contrib/config.yaml points editors there. */
export const SCHEMA_INSTALLED = "/usr/share/wg-endpoint-manager/config.schema.json";

/**
 * The settings file's JSON Schema (draft 2020-12), as shipped in contrib/config.schema.json: the
 * validator's own definitions (SETTINGS_SHAPE), each setting with its default from DEFAULTS. It
 * is looser than the validator in one way only: addresses, ports and Endpoints are checked for
 * their shape, while the validator also parses them (a schema pattern cannot tell 192.0.2.300).
 * Never loaded by the tool itself: only scripts/generate.ts and the tests use it.
 */
export function settingsJsonSchema(): JsonSchema {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `file://${SCHEMA_INSTALLED}`,
    title: "wg-endpoint-manager settings",
    description:
      "/etc/wg-endpoint-manager/config.yaml or config.json; see wg-endpoint-manager(8), SETTINGS.",
    ...withDefaults(objectSchema(SETTINGS_SHAPE), DEFAULTS),
  };
}

// --- internal ---

/** `schema` with `default` from `value` on each setting that has one. */
function withDefaults(schema: JsonSchema, value: unknown): JsonSchema {
  const properties = schema["properties"];
  if (!isObject(value) || !isObject(properties)) {
    return value === undefined ? schema : { ...schema, default: value };
  }
  return {
    ...schema,
    properties: Object.fromEntries(
      Object.entries(properties).map(([key, sub]) => [
        key,
        withDefaults(sub as JsonSchema, value[key]),
      ]),
    ),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
