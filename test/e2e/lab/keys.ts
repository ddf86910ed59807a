/**
 * WireGuard key pairs for labs, from `wg genkey | wg pubkey` as an operator makes them. The
 * private keys stay in memory and in 0600 files; they never appear on argv or in output.
 */
import { runOk } from "./exec.js";

/** One key pair; `privateKey` is base64, to be written only to 0600 files. */
export interface KeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
}

/**
 * `n` key pairs. One bash loop rather than 2n spawns from node: 2,000 pairs take a few seconds
 * instead of half a minute. The keys travel on the loop's stdout, never on a command line.
 */
export async function wgKeyPairs(n: number): Promise<KeyPair[]> {
  const script =
    'for ((i = 0; i < $1; i++)); do k=$(wg genkey); echo "$k $(wg pubkey <<<"$k")"; done';
  const out = await runOk(["bash", "-c", script, "bash", String(n)], { timeoutMs: 120_000 });
  const pairs = out
    .trim()
    .split("\n")
    .map((line) => {
      const [privateKey = "", publicKey = ""] = line.split(" ");
      return { privateKey, publicKey };
    });
  if (pairs.length !== n || pairs.some((p) => p.publicKey.length !== 44))
    throw new Error(`wg genkey/pubkey gave ${pairs.length} key pairs, wanted ${n}`);
  return pairs;
}
