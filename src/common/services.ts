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

/**
 * A lookup that reads its services text (`read`) at its first question, not before: nearly every
 * port is a number, and a pass that asks for no service name never reads nor parses the file. A
 * text that cannot be read knows no services.
 */
export function lazyServices(read: () => string): ServiceLookup {
  let lookup: ServiceLookup | undefined;
  return (name) => {
    if (lookup === undefined) {
      try {
        lookup = parseServices(read());
      } catch {
        lookup = noServices;
      }
    }
    return lookup(name);
  };
}

/** The system's /etc/services, read at the first service name asked for (once per process). */
export function systemServices(): ServiceLookup {
  return system;
}

// --- internal ---

// NOTE(perf): read on demand; the cron run's config files give their ports as numbers.
const system = lazyServices(() => readFileSync("/etc/services", "utf8"));
