import type { Candidate, ProbeResult } from "../model.js";
import type { EchoPolicy } from "./echo-session.js";
import type { Pinger } from "./icmp.js";

/** The pinger when raw sockets cannot be opened: iputils `ping`, one process per address. */
export function systemPinger(bin = "ping"): Pinger {
  return {
    async probe(candidate: Candidate, policy: EchoPolicy): Promise<ProbeResult> {
      const args = [
        `-${candidate.family}`,
        "-n",
        "-q",
        "-c",
        String(policy.count),
        "-i",
        String(Math.max(0.2, policy.intervalMs / 1000)),
        "-w",
        String(Math.max(1, Math.ceil(policy.timeoutMs / 1000))),
        candidate.address,
      ];
      // execa is loaded on first use: raw sockets usually work, and then no process is ever run.
      const { execa } = await import("execa");
      const result = await execa(bin, args, { reject: false, env: { LC_ALL: "C" } });
      return parsePingOutput(
        candidate.address,
        result.exitCode ?? -1,
        `${result.stdout}\n${result.stderr}`,
      );
    },
    close() {},
  };
}

/** Reads `ping -q` output: alive when any reply came back, with the average round trip. */
export function parsePingOutput(address: string, exitCode: number, output: string): ProbeResult {
  const received = /(\d+) (?:packets )?received/.exec(output);
  if (exitCode === 0 && received && Number(received[1]) > 0) {
    const avg = /= [\d.]+\/([\d.]+)\//.exec(output);
    return { address, alive: true, rttMs: avg ? Number(avg[1]) : 0 };
  }
  if (/unreachable/i.test(output)) return { address, alive: false, error: "host unreachable" };
  if (/not permitted/i.test(output))
    return { address, alive: false, error: "blocked by the local firewall" };
  return {
    address,
    alive: false,
    error: exitCode === 1 ? "timeout" : output.trim().split("\n")[0] || "ping failed",
  };
}
