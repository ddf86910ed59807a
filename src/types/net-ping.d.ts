// The part of net-ping (which ships no types) that the probe uses.
declare module "net-ping" {
  export const NetworkProtocol: { readonly IPv4: number; readonly IPv6: number };
  export interface SessionOptions {
    networkProtocol?: number;
    packetSize?: number;
    retries?: number;
    timeout?: number;
    sessionId?: number;
    ttl?: number;
  }
  /** Called once per pingHost: a reply (error null), an ICMP error, a send error or a timeout. */
  export type PingCallback = (
    error: Error | null,
    target: string,
    sent?: Date,
    received?: Date,
  ) => void;
  export interface Session {
    /** Read by pingHost when it is called: echoes sent again after the first, if unanswered. */
    retries: number;
    /** Read by pingHost when it is called: how long each echo waits before the next (or the end). */
    timeout: number;
    pingHost(target: string, callback: PingCallback): Session;
    close(): Session;
    on(event: "error", listener: (error: Error) => void): Session;
  }
  export function createSession(options?: SessionOptions): Session;
}
