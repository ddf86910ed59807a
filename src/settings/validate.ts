import { isWireGuardKey } from "../common/wireguard-key.js";
import { DEFAULTS, type Settings } from "./schema.js";

/** A settings problem, naming the setting by its dotted path. */
export class SettingsError extends Error {
  override readonly name = "SettingsError";
}

/** Checks raw settings (from a file) strictly and fills in defaults; unknown keys are errors. */
export function validateSettings(raw: unknown, source: string): Settings {
  const errors: string[] = [];
  const value = checkObject(raw, "", SHAPE, errors);
  if (errors.length > 0) throw new SettingsError(`${source}: ${errors.join("; ")}`);
  return merge(DEFAULTS, value) as Settings;
}

// --- internal ---

type Check = (value: unknown, path: string, errors: string[]) => unknown;

const str: Check = (v, path, errors) =>
  typeof v === "string" && v !== "" ? v : fail(errors, path, "a non-empty string", v);
const int =
  (min: number): Check =>
  (v, path, errors) =>
    Number.isInteger(v) && (v as number) >= min
      ? v
      : fail(errors, path, min > 0 ? "a positive integer" : "an integer >= 0", v);
const bool: Check = (v, path, errors) =>
  typeof v === "boolean" ? v : fail(errors, path, "true or false", v);
const oneOf =
  (...options: string[]): Check =>
  (v, path, errors) =>
    typeof v === "string" && options.includes(v)
      ? v
      : fail(errors, path, options.map((o) => `"${o}"`).join(", "), v);
const names: Check = (v, path, errors) =>
  Array.isArray(v) && v.every((n) => typeof n === "string")
    ? v
    : fail(errors, path, "a list of interface names", v);
const object =
  (shape: Record<string, Check>): Check =>
  (v, path, errors) =>
    checkObject(v, path, shape, errors);

const PEER_SHAPE: Record<string, Check> = {
  family: oneOf("auto", "ipv4", "ipv6"),
  holdDownSeconds: int(0),
  verifyAddress: str,
  ignore: bool,
};

const peers: Check = (v, path, errors) => {
  if (!isPlainObject(v)) return fail(errors, path, "an object keyed by public key", v);
  return Object.fromEntries(
    Object.entries(v).map(([key, peer]) => {
      if (!isWireGuardKey(key)) errors.push(`${path}: "${key}" is not a WireGuard public key`);
      return [key, checkObject(peer, `${path}.${key}`, PEER_SHAPE, errors)];
    }),
  );
};

const SHAPE: Record<string, Check> = {
  configDir: str,
  stateDir: str,
  interfaces: names,
  exclude: names,
  family: oneOf("auto", "ipv4", "ipv6"),
  handshakeFreshSeconds: int(1),
  holdDownSeconds: int(0),
  probe: object({ count: int(1), intervalMs: int(1), timeoutMs: int(1), concurrency: int(1) }),
  dns: object({ timeoutMs: int(1), concurrency: int(1) }),
  verify: object({ timeoutMs: int(1), failedHoldSeconds: int(0) }),
  watch: object({ intervalSeconds: int(1), pollMs: int(1), silenceMs: int(1) }),
  peers,
};

function checkObject(
  v: unknown,
  path: string,
  shape: Record<string, Check>,
  errors: string[],
): Record<string, unknown> {
  if (!isPlainObject(v)) {
    fail(errors, path || "settings", "an object", v);
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v)) {
    const dotted = path ? `${path}.${key}` : key;
    const check = shape[key];
    if (check === undefined) errors.push(`${dotted}: unknown setting`);
    else out[key] = check(value, dotted, errors);
  }
  return out;
}

function fail(errors: string[], path: string, expected: string, got: unknown): undefined {
  errors.push(`${path}: expected ${expected}, got ${JSON.stringify(got)}`);
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
