import { isIP } from "node:net";
import { echoValue } from "../common/echo-value.js";
import { INTERFACE_NAME_RULE, isInterfaceName } from "../common/interface-name.js";
import { LISTEN_EXPECTED, parseListenAddress, textfileProblem } from "../common/listen-address.js";
import { isWireGuardKey } from "../common/wireguard-key.js";
import { textfileModeProblem } from "../report/metrics-folder.js";
import { validateFallbackEndpoints } from "./fallbacks.js";
import { DEFAULTS, type Settings } from "./schema.js";

/** A settings problem, naming the setting by its dotted path. */
export class SettingsError extends Error {
  override readonly name = "SettingsError";
}

/** Checks raw settings (from a file) strictly and fills in defaults; unknown keys are errors. */
export function validateSettings(raw: unknown, source: string): Settings {
  const errors: string[] = [];
  const value = validateObject(raw, "", SHAPE, errors);
  if (errors.length > 0) throw new SettingsError(`${source}: ${summary(errors)}`);
  return merge(DEFAULTS, value) as Settings;
}

// --- internal ---

type Rule = (value: unknown, path: string, errors: string[]) => unknown;

// A relative folder would be looked up from the working folder, which is not trusted.
const folder: Rule = (v, path, errors) =>
  typeof v === "string" && v.startsWith("/") ? v : fail(errors, path, "an absolute path", v);
// Every number has a range (README "Settings"): no timer can reach setTimeout's 2^31-1 ms limit.
const int =
  (min: number, max: number): Rule =>
  (v, path, errors) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max
      ? v
      : fail(errors, path, `an integer ${min}-${max}`, v);
const bool: Rule = (v, path, errors) =>
  typeof v === "boolean" ? v : fail(errors, path, "true or false", v);
const oneOf =
  (...options: string[]): Rule =>
  (v, path, errors) =>
    typeof v === "string" && options.includes(v)
      ? v
      : fail(errors, path, options.map((o) => `"${o}"`).join(", "), v);
const names: Rule = (v, path, errors) => {
  if (!Array.isArray(v)) return fail(errors, path, "a list of interface names", v);
  v.forEach((name: unknown, i) => {
    if (typeof name !== "string" || !isInterfaceName(name))
      fail(errors, `${path}[${i}]`, `an interface name (${INTERFACE_NAME_RULE})`, name);
  });
  return v;
};
const ipAddress: Rule = (v, path, errors) =>
  typeof v === "string" && isIP(v) !== 0 ? v : fail(errors, path, "an IP address", v);
const textfile: Rule = (v, path, errors) => {
  const problem = textfileProblem(typeof v === "string" ? v : "");
  return problem === undefined ? v : fail(errors, path, problem, v);
};
const textfileMode: Rule = (v, path, errors) => {
  const problem = textfileModeProblem(v);
  return problem === undefined ? v : fail(errors, path, problem, v);
};
const listen: Rule = (v, path, errors) => {
  const parsed = typeof v === "string" ? parseListenAddress(v) : LISTEN_EXPECTED;
  return typeof parsed === "string" ? fail(errors, path, parsed, v) : v;
};
const object =
  (shape: Record<string, Rule>): Rule =>
  (v, path, errors) =>
    validateObject(v, path, shape, errors);

const PEER_SHAPE: Record<string, Rule> = {
  family: oneOf("auto", "ipv4", "ipv6"),
  holdDownSeconds: int(0, 86_400),
  verifyAddress: ipAddress,
  ignore: bool,
  fallbackEndpoints: validateFallbackEndpoints,
};

const peers: Rule = (v, path, errors) => {
  if (!isPlainObject(v)) return fail(errors, path, "an object keyed by public key", v);
  return Object.fromEntries(
    Object.entries(v).map(([key, peer]) => {
      if (!isWireGuardKey(key))
        errors.push(`${path}: ${echoValue(key)} is not a WireGuard public key`);
      return [key, validateObject(peer, join(path, key), PEER_SHAPE, errors)];
    }),
  );
};

const SHAPE: Record<string, Rule> = {
  configDir: folder,
  stateDir: folder,
  interfaces: names,
  exclude: names,
  family: oneOf("auto", "ipv4", "ipv6"),
  handshakeFreshSeconds: int(1, 3_600),
  holdDownSeconds: int(0, 86_400),
  probe: object({
    count: int(1, 10),
    intervalMs: int(10, 10_000),
    timeoutMs: int(100, 60_000),
    concurrency: int(1, 100_000),
  }),
  dns: object({ timeoutMs: int(100, 60_000), concurrency: int(1, 1_024) }),
  verify: object({
    timeoutMs: int(100, 60_000),
    failedHoldSeconds: int(0, 86_400),
    maxAddressesPerName: int(1, 64),
    maxTriesPerPass: int(1, 64),
  }),
  watch: object({
    intervalSeconds: int(5, 86_400),
    pollMs: int(100, 60_000),
    silenceMs: int(200, 600_000),
    ttlFloorSeconds: int(1, 86_400),
  }),
  metrics: object({ textfile, textfileMode, listen }),
  peers,
};

function validateObject(
  v: unknown,
  path: string,
  shape: Record<string, Rule>,
  errors: string[],
): Record<string, unknown> {
  if (!isPlainObject(v)) {
    fail(errors, path || "settings", "an object", v);
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v)) {
    const dotted = join(path, key);
    // NOTE: `shape[key]` would find Object.prototype's members (`valueOf`, `constructor`).
    const check = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (check === undefined) errors.push(`${join(path, key)}: unknown setting`);
    else out[key] = check(value, dotted, errors);
  }
  return out;
}

// A file of garbage must not give a screenful of errors.
function summary(errors: readonly string[]): string {
  const shown = errors.slice(0, MAX_ERRORS).join("; ");
  const more = errors.length - MAX_ERRORS;
  return more > 0 ? `${shown}; and ${more} more` : shown;
}

const MAX_ERRORS = 20;

// A key from the file, shown safely: plain names as they are, anything else quoted and redacted.
function join(path: string, key: string): string {
  const shown = /^[A-Za-z0-9_-]{1,40}$/.test(key) ? key : echoValue(key);
  return path ? `${path}.${shown}` : shown;
}

function fail(errors: string[], path: string, expected: string, got: unknown): undefined {
  errors.push(`${path}: expected ${expected}, got ${echoValue(got)}`);
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function merge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}
