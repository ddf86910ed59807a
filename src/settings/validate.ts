import { echoValue } from "../common/redact.js";
import { isWireGuardKey, WIREGUARD_KEY_PATTERN } from "../common/wireguard-key.js";
import { fallbackEndpointsSchema, validateFallbackEndpoints } from "./fallbacks.js";
import {
  bool,
  described,
  fail,
  folder,
  folders,
  int,
  ipAddress,
  type JsonSchema,
  listen,
  names,
  oneOf,
  type Rule,
  textfile,
  textfileMode,
} from "./rules.js";
import { DEFAULTS, type Settings } from "./schema.js";

/** A settings problem, naming the setting by its dotted path. */
export class SettingsError extends Error {
  override readonly name = "SettingsError";
}

/** Checks raw settings (from a file) strictly and fills in defaults; unknown keys are errors. */
export function validateSettings(raw: unknown, source: string): Settings {
  const errors: string[] = [];
  const value = validateObject(raw, "", SETTINGS_SHAPE, errors);
  if (errors.length > 0) throw new SettingsError(`${source}: ${summary(errors)}`);
  return merge(DEFAULTS, value) as Settings;
}

const object = (shape: Record<string, Rule>) =>
  described(
    () => objectSchema(shape),
    (v, path, errors) => validateObject(v, path, shape, errors),
  );

const PEER_SHAPE: Record<string, Rule> = {
  family: oneOf("auto", "ipv4", "ipv6"),
  holdDownSeconds: int(0, 86_400),
  verifyAddress: ipAddress,
  ignore: bool,
  fallbackEndpoints: described(fallbackEndpointsSchema, validateFallbackEndpoints),
};

const peers = described(
  () => ({
    type: "object",
    propertyNames: { pattern: WIREGUARD_KEY_PATTERN.source },
    additionalProperties: objectSchema(PEER_SHAPE),
  }),
  (v, path, errors) => {
    if (!isPlainObject(v)) return fail(errors, path, "an object keyed by public key", v);
    return Object.fromEntries(
      Object.entries(v).map(([key, peer]) => {
        if (!isWireGuardKey(key))
          errors.push(`${path}: ${echoValue(key)} is not a WireGuard public key`);
        return [key, validateObject(peer, join(path, key), PEER_SHAPE, errors)];
      }),
    );
  },
);

/** Every setting and its rule: the validator's definition, and the JSON Schema's. */
export const SETTINGS_SHAPE: Readonly<Record<string, Rule>> = {
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
  sources: object({
    wgQuick: bool,
    networkd: bool,
    networkManager: bool,
    networkdDirs: folders,
    networkManagerDirs: folders,
  }),
};

/** The schema of an object with exactly these settings, each optional. */
export function objectSchema(shape: Readonly<Record<string, Rule>>): JsonSchema {
  const properties = Object.fromEntries(Object.entries(shape).map(([k, c]) => [k, c.schema()]));
  return { type: "object", properties, additionalProperties: false };
}

// --- internal ---

function validateObject(
  v: unknown,
  path: string,
  shape: Readonly<Record<string, Rule>>,
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
    const rule = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (rule === undefined) errors.push(`${join(path, key)}: unknown setting`);
    else out[key] = rule(value, dotted, errors);
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

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function merge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}
