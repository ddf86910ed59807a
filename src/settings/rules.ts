import { isIP } from "node:net";
import {
  INTERFACE_NAME_PATTERN,
  INTERFACE_NAME_RULE,
  isInterfaceName,
} from "../common/interface-name.js";
import {
  LISTEN_EXPECTED,
  LISTEN_PATTERN,
  parseListenAddress,
  TEXTFILE_PATTERN,
  textfileProblem,
} from "../common/listen-address.js";
import { echoValue } from "../common/redact.js";
import { TEXTFILE_MODES, textfileModeProblem } from "../common/textfile-mode.js";

/** A JSON Schema (draft 2020-12) fragment. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * A setting's rule, and the JSON Schema of what it accepts (built only when asked: the cron run
 * never does). settings/json-schema.ts makes the shipped schema from SETTINGS_SHAPE.
 */
export type Rule = ((value: unknown, path: string, errors: string[]) => unknown) & {
  readonly schema: () => JsonSchema;
};

/** A rule with its schema. */
export function described(
  schema: () => JsonSchema,
  rule: (value: unknown, path: string, errors: string[]) => unknown,
): Rule {
  return Object.assign(rule, { schema });
}

// A relative folder would be looked up from the working folder, which is not trusted.
export const folder = described(
  () => ({ type: "string", pattern: "^/" }),
  (v, path, errors) =>
    typeof v === "string" && v.startsWith("/") ? v : fail(errors, path, "an absolute path", v),
);
// Every number has a range (README "Settings"): no timer can reach setTimeout's 2^31-1 ms limit.
export const int = (min: number, max: number) =>
  described(
    () => ({ type: "integer", minimum: min, maximum: max }),
    (v, path, errors) =>
      Number.isInteger(v) && (v as number) >= min && (v as number) <= max
        ? v
        : fail(errors, path, `an integer ${min}-${max}`, v),
  );
export const folders = described(
  () => ({ type: "array", items: folder.schema() }),
  (v, path, errors) => {
    if (!Array.isArray(v)) return fail(errors, path, "a list of absolute paths", v);
    v.forEach((dir: unknown, i) => {
      folder(dir, `${path}[${i}]`, errors);
    });
    return v;
  },
);
export const bool = described(
  () => ({ type: "boolean" }),
  (v, path, errors) => (typeof v === "boolean" ? v : fail(errors, path, "true or false", v)),
);
export const oneOf = (...options: string[]) =>
  described(
    () => ({ enum: options }),
    (v, path, errors) =>
      typeof v === "string" && options.includes(v)
        ? v
        : fail(errors, path, options.map((o) => `"${o}"`).join(", "), v),
  );
export const names = described(
  () => ({
    type: "array",
    items: { type: "string", pattern: INTERFACE_NAME_PATTERN.source, not: { enum: [".", ".."] } },
  }),
  (v, path, errors) => {
    if (!Array.isArray(v)) return fail(errors, path, "a list of interface names", v);
    v.forEach((name: unknown, i) => {
      if (typeof name !== "string" || !isInterfaceName(name))
        fail(errors, `${path}[${i}]`, `an interface name (${INTERFACE_NAME_RULE})`, name);
    });
    return v;
  },
);
export const textfile = described(
  () => ({ type: "string", pattern: TEXTFILE_PATTERN.source }),
  (v, path, errors) => {
    const problem = textfileProblem(typeof v === "string" ? v : "");
    return problem === undefined ? v : fail(errors, path, problem, v);
  },
);
// NOTE: the schema checks the shape (a dotted quad, or hex digits with a colon); the validator
// also checks that it is an address (isIP).
export const ipAddress = described(
  () => ({
    type: "string",
    anyOf: [
      { format: "ipv4", pattern: IPV4_PATTERN },
      { format: "ipv6", pattern: "^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[^%]+)?$" },
    ],
  }),
  (v, path, errors) =>
    typeof v === "string" && isIP(v) !== 0 ? v : fail(errors, path, "an IP address", v),
);
export const textfileMode = described(
  () => ({ type: "string", enum: TEXTFILE_MODES }),
  (v, path, errors) => {
    const problem = textfileModeProblem(v);
    return problem === undefined ? v : fail(errors, path, problem, v);
  },
);
// NOTE: the schema checks the shape only; the validator also checks the address and the port.
export const listen = described(
  () => ({ type: "string", pattern: LISTEN_PATTERN.source }),
  (v, path, errors) => {
    const parsed = typeof v === "string" ? parseListenAddress(v) : LISTEN_EXPECTED;
    return typeof parsed === "string" ? fail(errors, path, parsed, v) : v;
  },
);
const OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const IPV4_PATTERN = `^${OCTET}(\\.${OCTET}){3}$`;

/** Records that `path` is not what was expected; the value is echoed safely. */
export function fail(errors: string[], path: string, expected: string, got: unknown): undefined {
  errors.push(`${path}: expected ${expected}, got ${echoValue(got)}`);
  return undefined;
}
