import { COMMANDS } from "../../src/cli/options.js";
import {
  folderWords,
  MANAGED_AWK,
  MANAGED_COMMENT,
  MANAGER_FOLDERS,
  type ManagerFolders,
} from "./managers.js";
import { completedOptions, DEFAULT_CONFIG_DIR, header, optionWords, spellingsOf } from "./words.js";

/** /usr/share/bash-completion/completions/wg-endpoint-manager; tests give other manager folders. */
export function bashCompletion(folders: ManagerFolders = MANAGER_FOLDERS): string {
  const commands = Object.keys(COMMANDS).join(" ");
  const choices = completedOptions().flatMap((o) => {
    const { value } = o.spec;
    if (!Array.isArray(value)) return [];
    const words = [o.short, o.long].filter((w) => w !== undefined).join("|");
    return [`    ${words}) COMPREPLY=($(compgen -W "${value.join(" ")}" -- "$cur")) ;;`];
  });
  return `# ${header("bash")}

# The interfaces of the config folder (--config-dir's if the line names one, else ${DEFAULT_CONFIG_DIR}),
# and those systemd-networkd's and NetworkManager's files describe.
_wg_endpoint_manager_interfaces() {
  local dir=${DEFAULT_CONFIG_DIR} i conf
  for ((i = 1; i < COMP_CWORD - 1; i++)); do
    [[ \${COMP_WORDS[i]} == --config-dir ]] && dir=\${COMP_WORDS[i + 1]}
  done
  for conf in "$dir"/*.conf; do
    [[ -f $conf ]] || continue
    conf=\${conf##*/}
    printf '%s\\n' "\${conf%.conf}"
  done
  _wg_endpoint_manager_managed
}

# ${MANAGED_COMMENT}
_wg_endpoint_manager_managed() {
  local files=() dir
  for dir in ${folderWords(folders.networkd)}; do files+=("$dir"/*.netdev); done
  for dir in ${folderWords(folders.networkManager)}; do files+=("$dir"/*.nmconnection); done
  awk '${MANAGED_AWK}' "\${files[@]}" </dev/null
}

_wg_endpoint_manager() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD - 1]} i
  COMPREPLY=()
  case $prev in
    ${spellingsOf((v) => v === "folder").join("|")})
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -d -- "$cur")) ;;
    ${spellingsOf((v) => v === "file").join("|")})
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -f -- "$cur")) ;;
    ${spellingsOf((v) => v === "interface").join("|")})
      COMPREPLY=($(compgen -W "$(_wg_endpoint_manager_interfaces)" -- "$cur")) ;;
${choices.join("\n")}
    ${spellingsOf((v) => v === "text").join("|")}) ;;
    *)
      if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "${optionWords().join(" ")}" -- "$cur"))
        return
      fi
      # A command, unless the line has one (a value of ${valueTaking()[0]} and the like is not one).
      for ((i = 1; i < COMP_CWORD; i++)); do
        case \${COMP_WORDS[i]} in
          ${valueTaking().join("|")}) ((i++)) ;;
          ${Object.keys(COMMANDS).join("|")}) return ;;
        esac
      done
      COMPREPLY=($(compgen -W "${commands}" -- "$cur")) ;;
  esac
}

complete -F _wg_endpoint_manager wg-endpoint-manager
`;
}

// --- internal ---

function valueTaking(): string[] {
  return spellingsOf((v) => v !== undefined);
}
