/** A 44-character base64 WireGuard key (32 bytes), as wireguard-tools' key_from_base64() accepts it. */
export function isWireGuardKey(text: string): boolean {
  return WIREGUARD_KEY_PATTERN.test(text);
}

/** isWireGuardKey's pattern, which the settings' JSON Schema repeats. */
export const WIREGUARD_KEY_PATTERN = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw480]=$/;
