# fish completion for wg-endpoint-manager. Made by `npm run generate` from src/cli/options.ts: do not edit.

# The interfaces of the config folder (--config-dir's if the line names one, else /etc/wireguard),
# and those systemd-networkd's and NetworkManager's files describe.
function __wg_endpoint_manager_interfaces
    set -l dir /etc/wireguard
    set -l words (commandline -opc)
    set -l at (contains -i -- --config-dir $words)
    and test $at -lt (count $words)
    and set dir $words[(math $at + 1)]
    for conf in $dir/*.conf
        test -f $conf; and string replace -r '^.*/(.*)\.conf$' '$1' -- $conf
    end
    __wg_endpoint_manager_managed
end

# WireGuard interfaces of networkd's .netdev files and NetworkManager's keyfiles (best effort; quiet when unreadable).
function __wg_endpoint_manager_managed
    set -l files
    for dir in /etc/systemd/network /run/systemd/network /usr/local/lib/systemd/network /usr/lib/systemd/network
        set files $files $dir/*.netdev
    end
    for dir in /run/NetworkManager/system-connections /etc/NetworkManager/system-connections
        set files $files $dir/*.nmconnection
    end
    awk 'BEGIN {
  for (i = 1; i < ARGC; i++) {
    file = ARGV[i]; base = file; sub(/.*\//, "", base)
    readable = (getline line < file) >= 0; close(file)
    if ((base in seen) || !readable) ARGV[i] = ""
    seen[base] = 1
  }
}
FNR == 1 { flush(); keyfile = FILENAME ~ /\.nmconnection$/ }
/^[ \t\r]*$/ || /^[ \t]*[#;]/ { next }
/^[ \t]*\[/ { section = $0; gsub(/^[ \t]*\[|\][ \t\r]*$/, "", section); next }
!/=/ { if (keyfile) bad = 1; next }
{
  key = $0; sub(/=.*/, "", key); gsub(/[ \t]/, "", key)
  value = $0; sub(/^[^=]*=[ \t]*/, "", value); sub(/[ \t\r]+$/, "", value)
}
(section == "NetDev" && key == "Name") || (section == "connection" && key == "interface-name") { name = value }
(section == "NetDev" && key == "Kind") || (section == "connection" && key == "type") { kind = value }
END { flush() }
function flush() {
  if (!bad && kind == "wireguard" && name ~ /^[A-Za-z0-9_.=+@-]+$/ && !(name in done)) {
    done[name] = 1; print name
  }
  bad = 0; kind = ""; name = ""; section = ""
}' $files </dev/null
end

complete -c wg-endpoint-manager -f
complete -c wg-endpoint-manager -n 'not __fish_seen_subcommand_from run watch status' -a run -d 'one reconcile pass, then exit (the default)'
complete -c wg-endpoint-manager -n 'not __fish_seen_subcommand_from run watch status' -a watch -d 'the service: reconcile continuously'
complete -c wg-endpoint-manager -n 'not __fish_seen_subcommand_from run watch status' -a status -d 'a table of the managed peers'
complete -c wg-endpoint-manager -l config-dir -x -a '(__fish_complete_directories)' -d 'where the WireGuard configs are'
complete -c wg-endpoint-manager -l config -r -F -d 'settings file, JSON or YAML'
complete -c wg-endpoint-manager -l state-dir -x -a '(__fish_complete_directories)' -d 'where state and the lock live'
complete -c wg-endpoint-manager -s i -l interface -x -a '(__wg_endpoint_manager_interfaces)' -d 'only this interface'
complete -c wg-endpoint-manager -s x -l exclude -x -a '(__wg_endpoint_manager_interfaces)' -d 'skip this interface'
complete -c wg-endpoint-manager -l family -x -a 'auto ipv4 ipv6' -d 'preferred address family'
complete -c wg-endpoint-manager -s n -l dry-run -d 'decide and print, change nothing'
complete -c wg-endpoint-manager -l dryrun -d 'the same as --dry-run'
complete -c wg-endpoint-manager -s v -l verbose -d 'the whole reasoning for every peer'
complete -c wg-endpoint-manager -s q -l quiet -d 'errors only'
complete -c wg-endpoint-manager -l json -d 'machine-readable output (run, status)'
complete -c wg-endpoint-manager -l check -d 'a Nagios/Icinga check (status)'
complete -c wg-endpoint-manager -l log-format -x -a 'text json' -d 'text or json lines (watch)'
complete -c wg-endpoint-manager -l peer -x -d 'public key of the single peer'
complete -c wg-endpoint-manager -l host -x -d 'hostname of the single peer'
complete -c wg-endpoint-manager -l port -x -d 'port of the single peer'
complete -c wg-endpoint-manager -s h -l help -d 'the help text'
complete -c wg-endpoint-manager -l version -d 'the version'
