// The part of raw-socket (which ships no types) that the probe uses.
declare module "raw-socket" {
  export const AddressFamily: { readonly IPv4: number; readonly IPv6: number };
  export const Protocol: { readonly ICMP: number; readonly ICMPv6: number };
  export interface SocketOptions {
    protocol?: number;
    addressFamily?: number;
  }
  export interface Socket {
    /** Queues one packet; raw-socket sends it on the next writable event, then calls `after`. */
    send(
      buffer: Buffer,
      offset: number,
      length: number,
      address: string,
      after: (error: Error | null, bytes: number) => void,
    ): Socket;
    close(): Socket;
    on(event: "message", listener: (buffer: Buffer, source: string) => void): Socket;
    on(event: "error", listener: (error: Error) => void): Socket;
    on(event: "close", listener: () => void): Socket;
  }
  /** Throws when the socket cannot be opened (no CAP_NET_RAW). */
  export function createSocket(options: SocketOptions): Socket;
}
