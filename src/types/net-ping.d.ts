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
  export interface Session {
    timeout: number;
    pingHost(
      target: string,
      callback: (error: Error | null, target: string, sent?: Date, received?: Date) => void,
    ): Session;
    close(): void;
    on(event: "error", listener: (error: Error) => void): Session;
  }
  export function createSession(options?: SessionOptions): Session;
}
