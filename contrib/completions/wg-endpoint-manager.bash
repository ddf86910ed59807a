# bash completion for wg-endpoint-manager. Made by `npm run generate` from src/cli/options.ts: do not edit.

# The interfaces of the config folder: --config-dir's if the line names one, else /etc/wireguard.
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
