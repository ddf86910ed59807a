/** What an interface name may be, for messages. */
export const INTERFACE_NAME_RULE =
  '1-15 characters of a-z A-Z 0-9 _ = + . -, not starting with "-", not "." or ".."';

/**
 * True for a name that both wg-quick and the kernel accept and that `wg` cannot take for an
 * option: wg-quick's `^[a-zA-Z0-9_=+.-]{1,15}$` (which already keeps out the kernel's `/`, `:`
 * and spaces, and IFNAMSIZ), minus the kernel's "." and "..", minus a leading "-" (`wg show -h
 * dump` would read it as a flag). No "/" also keeps the name inside wireguard-go's socket folder.
 */
export function isInterfaceName(name: string): boolean {
  return INTERFACE_NAME_PATTERN.test(name) && name !== "." && name !== "..";
}

/** isInterfaceName's pattern, which the settings' JSON Schema repeats. */
export const INTERFACE_NAME_PATTERN = /^[a-zA-Z0-9_=+.][a-zA-Z0-9_=+.-]{0,14}$/;
