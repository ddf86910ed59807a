import { readFileSync } from "node:fs";

/** A UDP service name's port (`domain` -> 53), or undefined when the name is unknown. */
export type ServiceLookup = (name: string) => number | undefined;

/** A lookup that knows no service names: ports must then be written as numbers. */
export const noServices: ServiceLookup = () => undefined;

/**
 * The UDP services of an /etc/services text, as glibc's getaddrinfo finds them for `wg`
 * (SOCK_DGRAM, IPPROTO_UDP): names and aliases match case-sensitively; the first entry wins.
 */
export function parseServices(text: string): ServiceLookup {
  const ports = new Map<string, number>();
  for (const raw of text.split("\n")) {
    const [name, portProto, ...aliases] = (raw.split("#")[0] ?? "").trim().split(/[ \t]+/);
    const match = /^(\d+)\/udp$/.exec(portProto ?? "");
    if (name === undefined || name === "" || match === null) continue;
    for (const n of [name, ...aliases]) if (!ports.has(n)) ports.set(n, Number(match[1]));
  }
  return (name) => ports.get(name);
}

/** The system's /etc/services (read once), or no services when it cannot be read. */
export function systemServices(): ServiceLookup {
  if (cached === undefined) {
    try {
      cached = parseServices(readFileSync("/etc/services", "utf8"));
    } catch {
      cached = noServices;
    }
  }
  return cached;
}

// --- internal ---

let cached: ServiceLookup | undefined;
