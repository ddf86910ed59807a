/** Why the lab cannot run on this machine (for `test(..., { skip })`), or undefined when it can. */
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { join } from "node:path";

const TOOLS = ["ip", "wg", "wg-quick", "wireguard-go", "dnsmasq", "iptables", "ip6tables", "ping"];

export async function labSkipReason(): Promise<string | undefined> {
  if (process.platform !== "linux") return "the e2e lab needs Linux network namespaces";
  if (process.getuid?.() !== 0) return "the e2e lab needs root (network namespaces, iptables)";
  const missing: string[] = [];
  for (const tool of TOOLS) if (!(await onPath(tool))) missing.push(tool);
  if (missing.length > 0)
    return `the e2e lab needs ${missing.join(", ")} (scripts/install-deps.sh)`;
  return undefined;
}

async function onPath(tool: string): Promise<boolean> {
  const dirs = (process.env["PATH"] ?? "").split(":").concat(["/usr/sbin", "/sbin"]);
  for (const dir of dirs.filter((d) => d !== "")) {
    try {
      await access(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}
