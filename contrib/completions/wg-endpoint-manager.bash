# bash completion for wg-endpoint-manager. Made by `npm run generate` from src/cli/options.ts: do not edit.

# The interfaces of the config folder (--config-dir's if the line names one, else /etc/wireguard),
# and those systemd-networkd's and NetworkManager's files describe.
_wg_endpoint_manager_interfaces() {
  local dir=/etc/wireguard i conf
  for ((i = 1; i < COMP_CWORD - 1; i++)); do
    [[ ${COMP_WORDS[i]} == --config-dir ]] && dir=${COMP_WORDS[i + 1]}
  done
  for conf in "$dir"/*.conf; do
    [[ -f $conf ]] || continue
    conf=${conf##*/}
    printf '%s\n' "${conf%.conf}"
  done
  _wg_endpoint_manager_managed
}

# WireGuard interfaces of networkd's .netdev files and NetworkManager's keyfiles (best effort; quiet when unreadable).
_wg_endpoint_manager_managed() {
  local files=() dir
  for dir in /etc/systemd/network /run/systemd/network /usr/local/lib/systemd/network /usr/lib/systemd/network; do files+=("$dir"/*.netdev); done
  for dir in /run/NetworkManager/system-connections /etc/NetworkManager/system-connections; do files+=("$dir"/*.nmconnection); done
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
}' "${files[@]}" </dev/null
}

_wg_endpoint_manager() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} i
  COMPREPLY=()
  case $prev in
    --config-dir|--state-dir)
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -d -- "$cur")) ;;
    --config)
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -f -- "$cur")) ;;
    -i|--interface|-x|--exclude)
      COMPREPLY=($(compgen -W "$(_wg_endpoint_manager_interfaces)" -- "$cur")) ;;
    --family) COMPREPLY=($(compgen -W "auto ipv4 ipv6" -- "$cur")) ;;
    --log-format) COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
    --peer|--host|--port) ;;
    *)
      if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "--config-dir --config --state-dir --interface --exclude --family --dry-run --dryrun --verbose --quiet --json --check --log-format --peer --host --port --help --version -i -x -n -v -q -h" -- "$cur"))
        return
      fi
      # A command, unless the line has one (a value of --config-dir and the like is not one).
      for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
          --config-dir|--config|--state-dir|-i|--interface|-x|--exclude|--family|--log-format|--peer|--host|--port) ((i++)) ;;
          run|watch|status) return ;;
        esac
      done
      COMPREPLY=($(compgen -W "run watch status" -- "$cur")) ;;
  esac
}

complete -F _wg_endpoint_manager wg-endpoint-manager
