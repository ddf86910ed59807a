import { NETWORK_MANAGER_DIRS, NETWORKD_DIRS } from "../../src/settings/schema.js";

/** Where the completions look for the managers' files, highest precedence first. */
export interface ManagerFolders {
  readonly networkd: readonly string[];
  readonly networkManager: readonly string[];
}

/** The managers' own folders, as the settings' defaults name them. */
export const MANAGER_FOLDERS: ManagerFolders = {
  networkd: NETWORKD_DIRS,
  networkManager: NETWORK_MANAGER_DIRS,
};

/** The folders as words of a shell's `for` list; a path a shell would split or expand is refused. */
export function folderWords(dirs: readonly string[]): string {
  for (const dir of dirs)
    if (!/^\/[\w./+@-]*$/.test(dir)) throw new Error(`${dir}: not a plain path for a shell script`);
  return dirs.join(" ");
}

/** The comment above the shells' function that runs MANAGED_AWK. */
export const MANAGED_COMMENT =
  "WireGuard interfaces of networkd's .netdev files and NetworkManager's keyfiles (best effort; quiet when unreadable).";

/**
 * The WireGuard interfaces of the `.netdev` and `.nmconnection` files given, one per line: awk,
 * so that the three shells share one reader. Best effort, as completion may be: a file shadowed
 * or masked by one of the same name earlier in the list is passed over, as networkd does, and an
 * unreadable one quietly; a keyfile with a line GLib would refuse is skipped as NetworkManager
 * skips it; the tool's other checks (keys, modes, peers) are not made. Each line of the program is
 * free of single quotes and `\\`, so it sits in single quotes in bash, zsh and fish alike.
 */
export const MANAGED_AWK = String.raw`BEGIN {
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
}`;
