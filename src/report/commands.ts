/** The command line an operator would type, for --dry-run and logs (public keys only). */
export function setEndpointCommand(iface: string, publicKey: string, endpoint: string): string {
  return `wg set ${iface} peer ${publicKey} endpoint ${endpoint}`;
}
