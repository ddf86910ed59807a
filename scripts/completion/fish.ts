import { COMMANDS } from "../../src/cli/options.js";
import {
  folderWords,
  MANAGED_AWK,
  MANAGED_COMMENT,
  MANAGER_FOLDERS,
  type ManagerFolders,
} from "./managers.js";
import { type CompletedOption, completedOptions, DEFAULT_CONFIG_DIR, header } from "./words.js";

/** /usr/share/fish/vendor_completions.d/wg-endpoint-manager.fish; tests give other manager folders. */
export function fishCompletion(folders: ManagerFolders = MANAGER_FOLDERS): string {
  const names = Object.keys(COMMANDS).join(" ");
  const commands = Object.entries(COMMANDS).map(
    ([name, help]) =>
      `complete -c wg-endpoint-manager -n 'not __fish_seen_subcommand_from ${names}' -a ${name} -d '${help}'`,
  );
  return `# ${header("fish")}

# The interfaces of the config folder (--config-dir's if the line names one, else ${DEFAULT_CONFIG_DIR}),
# and those systemd-networkd's and NetworkManager's files describe.
function __wg_endpoint_manager_interfaces
    set -l dir ${DEFAULT_CONFIG_DIR}
    set -l words (commandline -opc)
    set -l at (contains -i -- --config-dir $words)
    and test $at -lt (count $words)
    and set dir $words[(math $at + 1)]
    for conf in $dir/*.conf
        test -f $conf; and string replace -r '^.*/(.*)\\.conf$' '$1' -- $conf
    end
    __wg_endpoint_manager_managed
end

# ${MANAGED_COMMENT}
function __wg_endpoint_manager_managed
    set -l files
    for dir in ${folderWords(folders.networkd)}
        set files $files $dir/*.netdev
    end
    for dir in ${folderWords(folders.networkManager)}
        set files $files $dir/*.nmconnection
    end
    awk '${MANAGED_AWK}' $files </dev/null
end

complete -c wg-endpoint-manager -f
${commands.join("\n")}
${completedOptions().map(line).join("\n")}
`;
}

// --- internal ---

function line(o: CompletedOption): string {
  const short = o.short === undefined ? "" : ` -s ${o.short.slice(1)}`;
  return `complete -c wg-endpoint-manager${short} -l ${o.long.slice(2)}${argument(o)} -d '${o.spec.help}'`;
}

function argument(o: CompletedOption): string {
  const { value } = o.spec;
  if (o.spec.type === "boolean") return "";
  if (Array.isArray(value)) return ` -x -a '${value.join(" ")}'`;
  switch (value) {
    case "folder":
      return " -x -a '(__fish_complete_directories)'";
    case "file":
      return " -r -F";
    case "interface":
      return " -x -a '(__wg_endpoint_manager_interfaces)'";
    default:
      return " -x";
  }
}
