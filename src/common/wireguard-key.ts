/** A 44-character base64 WireGuard key (32 bytes), as wireguard-tools' key_from_base64() accepts it. */
export function isWireGuardKey(text: string): boolean {
  return /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw480]=$/.test(text);
}
