// `npm run demo`: a throwaway two-namespace WireGuard setup, broken on purpose and repaired by
// one zero-argument run of the tool, exactly as cron would run it. Removes everything it made.
import { createLab, type Lab, labSkipReason } from "../test/e2e/lab/index.js";

const say = (text: string) => process.stdout.write(`\n== ${text}\n`);

async function demo(lab: Lab): Promise<void> {
  const server = lab.server(0);
  say(`A WireGuard tunnel ${lab.interface}, client and peer in their own network namespaces.`);
  process.stdout.write(
    `   Endpoint = ${server.hostname}:${server.port}, which resolves to 2001:db8:1::1 and 192.0.2.1\n`,
  );
  process.stdout.write(
    `   live endpoint: ${await lab.liveEndpoint(0)}; tunnel works: ${await lab.tunnelWorks(0)}\n`,
  );

  say(
    "IPv6 breaks silently: the peer no longer hears us over IPv6 (the host keeps its IPv6 address).",
  );
  await lab.breakIpv6Silently();
  process.stdout.write(
    `   tunnel works: ${await lab.tunnelWorks(0, { timeoutMs: 2000 })}  (WireGuard keeps sending to IPv6 forever)\n`,
  );

  say("One run of `wg-endpoint-manager --verbose`, as root inside the client namespace:");
  const run = await lab.runTool(["--verbose"]);
  process.stdout.write(`${run.stdout}${run.stderr}`.replace(/^/gm, "   "));
  process.stdout.write(`   (exit status ${run.exitCode}, ${Math.round(run.durationMs)} ms)\n`);

  say("After the run:");
  process.stdout.write(
    `   live endpoint: ${await lab.liveEndpoint(0)}; tunnel works: ${await lab.tunnelWorks(0)}\n`,
  );

  say("A second run finds nothing to do and, as from cron, prints nothing:");
  const again = await lab.runTool([]);
  process.stdout.write(
    `   output: "${again.stdout}${again.stderr}" (exit status ${again.exitCode})\n`,
  );
}

const skip = await labSkipReason();
if (skip !== undefined) {
  process.stderr.write(`demo: ${skip}\n`);
  process.exit(1);
}
const lab = await createLab();
const stop = () => void lab.destroy().then(() => process.exit(130));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
try {
  await demo(lab);
} finally {
  await lab.destroy();
  say("Removed the namespaces, interfaces and files the demo made.");
}
