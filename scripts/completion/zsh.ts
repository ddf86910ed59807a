import { COMMANDS } from "../../src/cli/options.js";
import {
  folderWords,
  MANAGED_AWK,
  MANAGED_COMMENT,
  MANAGER_FOLDERS,
  type ManagerFolders,
} from "./managers.js";
import { type CompletedOption, completedOptions, DEFAULT_CONFIG_DIR, header } from "./words.js";

/** /usr/share/zsh/vendor-completions/_wg-endpoint-manager; tests give other manager folders. */
export function zshCompletion(folders: ManagerFolders = MANAGER_FOLDERS): string {
  const commands = Object.entries(COMMANDS).map(([name, help]) => `    '${name}:${help}'`);
  const specs = completedOptions().map((o) => `  ${spec(o)}`);
  return `#compdef wg-endpoint-manager
# ${header("zsh")}

# The interfaces of the config folder (--config-dir's if the line names one, else ${DEFAULT_CONFIG_DIR}),
# and those systemd-networkd's and NetworkManager's files describe.
_wg_endpoint_manager_interfaces() {
  local dir=${DEFAULT_CONFIG_DIR} expl
  local -i at=\${words[(I)--config-dir]}
  (( at > 0 && at < CURRENT - 1 )) && dir=\${words[at + 1]}
  local -a names
  names=("\${dir}"/*.conf(N-.:t:r) \${(f)"$(_wg_endpoint_manager_managed)"})
  _wanted interfaces expl interface compadd -a names
}

# ${MANAGED_COMMENT}
_wg_endpoint_manager_managed() {
  local -a files
  local dir
  for dir in ${folderWords(folders.networkd)}; do files+=("\${dir}"/*.netdev(N)); done
  for dir in ${folderWords(folders.networkManager)}; do files+=("\${dir}"/*.nmconnection(N)); done
  awk '${MANAGED_AWK}' "\${files[@]}" </dev/null
}

_wg_endpoint_manager_commands() {
  local -a commands
  commands=(
${commands.join("\n")}
  )
  _describe -t commands command commands
}

_arguments -s \\
${specs.join(" \\\n")} \\
  '1:command:_wg_endpoint_manager_commands'
`;
}

// --- internal ---

/** `'*'{-i+,--interface=}'[only this interface]:interface:_wg_endpoint_manager_interfaces'` */
function spec(o: CompletedOption): string {
  const takes = o.spec.type === "string";
  const forms = [
    ...(o.short === undefined ? [] : [`${o.short}${takes ? "+" : ""}`]),
    `${o.long}${takes ? "=" : ""}`,
  ];
  const names = forms.length === 1 ? forms[0] : `{${forms.join(",")}}`;
  const repeat = o.spec.multiple === true ? "'*'" : "";
  return `${repeat}${names}'[${o.spec.help}]${takes ? argument(o) : ""}'`;
}

function argument(o: CompletedOption): string {
  const { value } = o.spec;
  const name = o.long.slice(2);
  if (Array.isArray(value)) return `:${name}:(${value.join(" ")})`;
  switch (value) {
    case "folder":
      return `:${name}:_files -/`;
    case "file":
      return `:${name}:_files`;
    case "interface":
      return ":interface:_wg_endpoint_manager_interfaces";
    default:
      return `:${name}: `;
  }
}
