import type { TunnelChecker } from "../apply/tunnel-check.js";
import { tunnelChecker } from "../apply/tunnel-check.js";
import type { Clock } from "../clock.js";
import { systemClock } from "../clock.js";
import type { HostFamilies } from "../model.js";
import { cachedWg } from "../observe/dump-cache.js";
import { hostFamilies } from "../observe/host.js";
import type { RouteLookup } from "../observe/routes.js";
import { kernelRoute } from "../observe/routes.js";
import type { Wg } from "../observe/wg.js";
import { systemWg } from "../observe/wg.js";
import type { Pinger } from "../probe/icmp.js";
import { rawPinger } from "../probe/icmp.js";
import { systemPinger } from "../probe/system-ping.js";
import type { Resolver } from "../resolve/dns.js";
import { systemResolver } from "../resolve/dns.js";
import type { Settings } from "../settings/schema.js";

/** The side effects of a pass, one seam each. */
export interface PassDeps {
  readonly wg: Wg;
  readonly resolve: Resolver;
  readonly pinger: Pinger;
  readonly systemPinger: () => Pinger;
  readonly check: TunnelChecker;
  readonly clock: Clock;
  readonly hostFamilies: (tunnels: ReadonlySet<string>) => HostFamilies;
  /** The kernel's route to an address (observe/routes.ts), to tell "offline" from "the peer is down". */
  readonly route: RouteLookup;
}

/** The real side effects of a pass; close() releases the ICMP sockets. */
export function systemDeps(settings: Settings): PassDeps & { close(): void } {
  const wg = cachedWg(systemWg(), 150, systemClock.now);
  const pinger = rawPinger();
  return {
    wg,
    resolve: systemResolver(settings.dns.timeoutMs),
    pinger,
    systemPinger,
    check: tunnelChecker(wg, pinger, systemClock, settings.verify.timeoutMs),
    clock: systemClock,
    hostFamilies,
    route: kernelRoute(),
    close: () => pinger.close(),
  };
}
