/** `wg-endpoint-manager --help`. Keep in step with README "Usage". */
export const HELP = `Usage: wg-endpoint-manager [run|status|watch] [options]

Keeps every WireGuard peer whose Endpoint is a hostname on a resolved address that works.
With no command, makes one reconcile pass over /etc/wireguard/*.conf and exits (for cron).

Commands:
  run (default)          one reconcile pass, then exit
  watch                  the service: watches the configs, reconciles continuously, recovers a
                         broken tunnel within seconds (SIGHUP reloads settings)
  status                 a table of the managed peers, from the state the last pass kept

Options:
  -i, --interface NAME   only this interface (repeatable)
  -x, --exclude NAME     skip this interface (repeatable)
      --config-dir DIR   where the WireGuard configs are (default /etc/wireguard)
      --config FILE      settings file, JSON or YAML, owned by root, writable only by root
                         (default /etc/wg-endpoint-manager/config.{json,yaml,yml}, if there)
      --state-dir DIR    where state and the lock live (default /var/lib/wg-endpoint-manager)
      --family F         preferred family: auto (IPv6 when the host has a global IPv6 address), ipv6, ipv4
  -n, --dry-run          decide and print the wg set commands, change nothing (also --dryrun)
  -v, --verbose          the whole reasoning for every peer
  -q, --quiet            errors only
      --json             machine-readable output (run, status)
      --check            status: a Nagios/Icinga check, one line; exit 0 all peers up,
                         1 a peer is not up, 3 no pass for twice watch.intervalSeconds
      --log-format F     watch: text (default) or json, one object per line
  -h, --help             this text
      --version          the version

The original script's flags manage a single peer:
  --interface wg0 --peer PUBLIC_KEY --host vpn.example.com --port 51820

Exit status: 0 all good, 1 a peer has no working address, 2 usage or settings error,
3 a config file has errors, 4 cannot work here (no configs, no wg, no permission), 70 bug,
130 or 143 run stopped by SIGINT or SIGTERM (an unverified move is undone first).
status --check: 0 OK, 1 WARNING (a peer not up), 3 UNKNOWN (no recent pass), as Nagios reads them.

Settings metrics.textfile (a NAME.prom file written every pass, for node_exporter) and
metrics.listen (IP:PORT where watch serves GET /metrics; 127.0.0.1 is the safe choice).
`;
