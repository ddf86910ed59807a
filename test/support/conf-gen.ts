/**
 * Config files for the differential and property tests of the parser, deterministic from a seed:
 * key case, whitespace and comments everywhere, CRLF, a BOM, several and repeated sections and
 * keys, every value form of every key (valid and not), wg-quick's own keys, every Endpoint form,
 * and malformed, unknown and misplaced keys. Each file says which deliberate differences from `wg`
 * it holds (see DIFFERENCES), so a test can check those both ways.
 */
import { ENDPOINTS, HOSTS, type Tagged, VALUES } from "./conf-values.js";
import { Rng } from "./rng.js";

export { HOSTS, Rng };

/** The ways we read a file differently from `wg`, on purpose (README, "What it manages"). */
export const DIFFERENCES = {
  port: "an Endpoint port outside 1-65535 is an error; wg wraps it modulo 65536 (65536 is port 0)",
  secretAsPublicKey: "a PublicKey that is a PrivateKey or PresharedKey of the file is an error",
  unresolvable: "a hostname that does not resolve is no config error; wg rejects the file",
  longName:
    "a name DNS cannot carry (a label over 63 characters) is an error even if /etc/hosts has it",
  unknownZone:
    "an interface named as an IPv6 zone is not checked for existence; wg rejects the file",
} as const;

/** One of DIFFERENCES. */
export type Difference = keyof typeof DIFFERENCES;

/** A generated file: its text, the secret keys in it, and the deliberate differences it holds. */
export interface GenFile {
  readonly text: string;
  readonly secrets: readonly string[];
  readonly differences: readonly Difference[];
}

/** `count` files from `seed`. */
export function generateConfs(seed: number, count: number): GenFile[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => generateConf(rng));
}

/** One file: an [Interface] (usually) and 0-4 peers, then maybe one mutation. */
export function generateConf(rng: Rng): GenFile {
  const out = new Builder(rng);
  const privateKey = rng.key();
  if (rng.chance(0.9)) out.interface(privateKey);
  const peers = rng.int(5);
  const keys: string[] = [];
  for (let i = 0; i < peers; i++) {
    const reuse = keys.length > 0 && rng.chance(0.1);
    const key = reuse ? rng.pick(keys) : rng.key();
    keys.push(key);
    out.peer(key, privateKey);
  }
  if (rng.chance(0.3)) out.mutate();
  return out.finish();
}

// --- internal ---

class Builder {
  private readonly lines: string[] = [];
  private readonly secrets: string[] = [];
  private readonly differences = new Set<Difference>();
  constructor(private readonly rng: Rng) {}

  interface(privateKey: string): void {
    this.header("Interface");
    const keys = ["PrivateKey", "ListenPort", "FwMark", ...QUICK].filter(() =>
      this.rng.chance(0.4),
    );
    if (this.rng.chance(0.9)) keys.unshift("PrivateKey");
    for (const key of keys) this.entry(key, key === "PrivateKey" ? privateKey : this.value(key));
    if (keys.includes("PrivateKey")) this.secrets.push(privateKey);
  }

  peer(publicKey: string, privateKey: string): void {
    this.header("Peer");
    // A private key pasted as a PublicKey is only recognisable when the file also holds it as one.
    const secretAsKey = this.rng.chance(0.03) && this.secrets.includes(privateKey);
    if (secretAsKey) this.differences.add("secretAsPublicKey");
    if (this.rng.chance(0.95)) this.entry("PublicKey", secretAsKey ? privateKey : publicKey);
    const keys = ["Endpoint", "AllowedIPs", "PersistentKeepalive", "PresharedKey"];
    for (const key of keys.filter(() => this.rng.chance(0.6))) {
      if (key === "PresharedKey") {
        const psk = this.rng.key();
        this.secrets.push(psk);
        this.entry(key, psk);
      } else if (key === "Endpoint") {
        this.endpoint();
      } else this.entry(key, this.value(key));
    }
  }

  /** One change that usually makes the file wrong for `wg` (or for wg-quick). */
  mutate(): void {
    const rng = this.rng;
    const at = rng.int(this.lines.length + 1);
    const line = rng.pick(MUTANTS)(rng);
    this.lines.splice(at, 0, line);
  }

  finish(): GenFile {
    const eol = this.rng.chance(0.2) ? "\r\n" : "\n";
    const bom = this.rng.chance(0.03) ? "\ufeff" : "";
    const end = this.rng.chance(0.8) ? eol : "";
    return {
      text: `${bom}${this.lines.join(eol)}${end}`,
      secrets: this.secrets,
      differences: [...this.differences],
    };
  }

  private endpoint(): void {
    const roll = this.rng.next();
    if (roll < 0.06) {
      const form: Tagged = this.rng.pick(ENDPOINTS.differences);
      if (form.difference !== undefined) this.differences.add(form.difference);
      this.entry("Endpoint", form.value);
    } else this.entry("Endpoint", this.rng.pick(roll < 0.13 ? ENDPOINTS.bad : ENDPOINTS.ok));
  }

  // Mostly values `wg` accepts, so that whole files pass often enough to compare their peers.
  private value(key: string): string {
    const forms = VALUES[key];
    if (forms === undefined) return "x";
    const bad = forms.bad.length > 0 && this.rng.chance(0.06);
    return this.rng.pick(bad ? forms.bad : forms.ok);
  }

  private header(name: string): void {
    this.noise();
    const text = this.rng.chance(0.5) ? `[${name}]` : `[${this.caseOf(name)}]`;
    this.lines.push(`${this.pad()}${text}${this.pad()}${this.comment()}`);
  }

  private entry(key: string, value: string): void {
    this.noise();
    const k = this.inner(this.caseOf(key));
    const v = this.inner(value);
    this.lines.push(
      `${this.pad()}${k}${this.pad()}=${this.pad()}${v}${this.pad()}${this.comment()}`,
    );
    if (this.rng.chance(0.05)) this.entry(key, value);
  }

  private noise(): void {
    if (this.rng.chance(0.15)) this.lines.push(this.pad());
    if (this.rng.chance(0.15)) this.lines.push(`${this.pad()}# a comment = [Peer] ${this.pad()}`);
  }

  private comment(): string {
    return this.rng.chance(0.15)
      ? `${this.pad()}#${this.rng.pick(["", " x = y", "[Peer]", "#"])}`
      : "";
  }

  private pad(): string {
    return this.rng.pick(["", "", "", " ", "  ", "\t", " \t ", "\v", "\f"]);
  }

  private caseOf(key: string): string {
    return this.rng.pick([key, key, key.toLowerCase(), key.toUpperCase()]);
  }

  /** Whitespace inside a key or value: `wg` drops it, wg-quick keeps it in its own keys. */
  private inner(text: string): string {
    if (!this.rng.chance(0.04) || text.length < 2) return text;
    const at = 1 + this.rng.int(text.length - 1);
    return `${text.slice(0, at)}${this.rng.pick([" ", "\t", "  "])}${text.slice(at)}`;
  }
}

const QUICK = [
  "Address",
  "DNS",
  "MTU",
  "Table",
  "PreUp",
  "PostUp",
  "PreDown",
  "PostDown",
  "SaveConfig",
];

// Lines inserted anywhere by mutate(): each wrong somewhere, most wrong everywhere.
const MUTANTS: readonly ((rng: Rng) => string)[] = [
  (rng) => `${rng.pick(["Jc", "Jmin", "Jmax", "S1", "S2", "H1", "H4"])} = ${rng.int(100)}`,
  (rng) => `${rng.pick(["Foo", "Endpoints", "Public_Key", "Table2"])} = 1`,
  (rng) => `${rng.pick(["Post Up", "Pre Down", "Save Config", "M T U"])} = true`,
  (rng) => `${rng.pick(QUICK)} = ${rng.pick(["1", "true", "echo a=b"])}`,
  (rng) => `${rng.pick(["ListenPort", "FwMark", "PrivateKey"])} = ${rng.pick(["1", rng.key()])}`,
  (rng) => `${rng.pick(["Endpoint", "AllowedIPs", "PersistentKeepalive"])} = 1`,
  (rng) => `${rng.pick(["[ Interface ]", "[Peer", "[Peers]", "[Interface] x", "[WireGuard]"])}`,
  (rng) => rng.pick(["no equals sign", "= value", "PublicKey =", "Endpoint=", rng.key()]),
  (rng) => `PublicKey = ${rng.key().slice(0, rng.pick([43, 42, 20]))}`,
  () => "[Peer]",
  () => "[Interface]",
];
