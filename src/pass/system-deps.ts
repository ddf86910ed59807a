import { tunnelChecker } from "../apply/tunnel-check.js";
import { systemClock } from "../clock.js";
import { cachedWg } from "../observe/dump-cache.js";
import { hostFamilies } from "../observe/host.js";
import { kernelRoute } from "../observe/routes.js";
import { systemWg } from "../observe/wg.js";
import { rawPinger } from "../probe/icmp.js";
import { systemPinger } from "../probe/system-ping.js";
import { systemResolver } from "../resolve/dns.js";
import type { Settings } from "../settings/schema.js";
import type { PassDeps } from "./reconcile.js";

/** The real side effects of a pass; close() releases the ICMP sockets. */
export function systemDeps(settings: Settings): PassDeps & { close(): void } {
  const wg = cachedWg(systemWg(), 150, systemClock.now);
  const pinger = rawPinger();
  return {
    wg,
    resolve: systemResolver(settings.dns.timeoutMs),
    pinger,
    fallbackPinger: () => systemPinger(),
    check: tunnelChecker(wg, pinger, systemClock, settings.verify.timeoutMs),
    clock: systemClock,
    hostFamilies,
    route: kernelRoute(),
    close: () => pinger.close(),
  };
}
