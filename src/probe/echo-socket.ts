import type { Socket } from "raw-socket";
import type { ProbeResult } from "../model.js";
import { Fifo } from "../util/fifo.js";
import type { EchoPolicy } from "./icmp.js";
import { ECHO_SIZE, readEchoAnswer, writeEchoRequest } from "./icmp-packet.js";
import type { Due, TimerQueue } from "./timer-queue.js";

/** One address being probed: all a probe keeps, whatever its number of echoes. */
export interface Probe extends Due {
  readonly address: string;
  readonly policy: EchoPolicy;
  readonly done: (result: ProbeResult) => void;
  readonly socket: EchoSocket;
  /** When its first echo was handed to the kernel (NaN before): its deadline counts from here. */
  firstAt: number;
  /** Echoes queued so far, and the sequence number and send time of each one sent. */
  queued: number;
  readonly sequences: number[];
  readonly sentAt: number[];
  /** Echoes that failed: an ICMP error, or the send itself. */
  failed: number;
  lastError: string;
  settled: boolean;
}

/**
 * One raw ICMP socket (one family) shared by every probe of a pass. First echoes are sent before
 * repeats, so every address's deadline starts as early as it can. Echoes are matched to probes
 * by sequence number under one identifier; a probe holds no timer and no closure of its own.
 */
export class EchoSocket {
  private readonly identifier = process.pid & 0xffff;
  private readonly bySequence = new Map<number, Probe>();
  private readonly firsts = new Fifo<Probe>();
  private readonly repeats = new Fifo<Probe>();
  private readonly packet = Buffer.alloc(ECHO_SIZE);
  private nextSequence = 1;
  /** The probe and sequence number of the one packet raw-socket holds. */
  private sending: Probe | undefined;
  private sendingSequence = 0;
  private pumping = false;

  constructor(
    private readonly socket: Socket,
    private readonly family: 4 | 6,
    private readonly timers: TimerQueue<Probe>,
    /** Every unsettled probe of the pinger, for close(). */
    private readonly pending: Set<Probe>,
  ) {
    socket.on("message", (buffer) => this.received(buffer));
    socket.on("error", () => {}); // a send error also reaches that send's callback
  }

  /** Queues the probe's next echo (its first, or a repeat). */
  queue(probe: Probe): void {
    if (probe.queued === 0) this.pending.add(probe);
    probe.queued++;
    (probe.queued === 1 ? this.firsts : this.repeats).push(probe);
    this.pump();
  }

  /** Ends a probe: forgets its echoes and reports the result once. */
  settle(probe: Probe, result: ProbeResult): void {
    if (probe.settled) return;
    probe.settled = true;
    this.pending.delete(probe);
    for (const sequence of probe.sequences) this.bySequence.delete(sequence);
    probe.done(result);
  }

  /** Waits for the probe's next moment (`probe.at`). */
  reschedule(probe: Probe): void {
    this.timers.add(probe);
  }

  close(): void {
    this.firsts.clear();
    this.repeats.clear();
    this.socket.close();
  }

  // --- internal ---

  /** Hands raw-socket the next packet; it sends one per writable event, then calls back. */
  private pump(): void {
    // NOTE: raw-socket calls back synchronously for a bad address: loop here, never recurse.
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.sending === undefined) {
        const probe = this.firsts.shift() ?? this.repeats.shift();
        if (probe === undefined) return;
        if (probe.settled) continue;
        const sequence = this.freeSequence();
        if (sequence === undefined) {
          this.failed(probe, "too many echoes in flight");
          continue;
        }
        writeEchoRequest(this.packet, this.family, this.identifier, sequence);
        this.sending = probe;
        this.sendingSequence = sequence;
        this.socket.send(this.packet, 0, ECHO_SIZE, probe.address, this.afterSend);
      }
    } finally {
      this.pumping = false;
    }
  }

  /** One function for every send (raw-socket holds one packet at a time): no closure per echo. */
  private readonly afterSend = (error: Error | null): void => {
    const probe = this.sending;
    this.sending = undefined;
    if (probe !== undefined && !probe.settled) {
      const now = performance.now();
      if (Number.isNaN(probe.firstAt)) {
        probe.firstAt = now;
        probe.at = nextMoment(probe);
        this.reschedule(probe);
      }
      if (error !== null) this.failed(probe, describe(error));
      else {
        probe.sequences.push(this.sendingSequence);
        probe.sentAt.push(now);
        this.bySequence.set(this.sendingSequence, probe);
      }
    }
    this.pump();
  };

  private received(buffer: Buffer): void {
    const answer = readEchoAnswer(buffer, this.family);
    if (answer === undefined || answer.identifier !== this.identifier) return;
    const probe = this.bySequence.get(answer.sequence);
    if (probe === undefined) return;
    this.bySequence.delete(answer.sequence);
    if (answer.error !== undefined) {
      this.failed(probe, answer.error);
      return;
    }
    const sentAt = probe.sentAt[probe.sequences.indexOf(answer.sequence)] ?? performance.now();
    const rttMs = Math.max(0, Math.round(performance.now() - sentAt));
    this.settle(probe, { address: probe.address, alive: true, rttMs });
  }

  private failed(probe: Probe, error: string): void {
    probe.failed++;
    probe.lastError = error;
    if (probe.failed >= probe.policy.count)
      this.settle(probe, { address: probe.address, alive: false, error });
  }

  private freeSequence(): number | undefined {
    if (this.bySequence.size >= 0xffff) return undefined;
    while (this.bySequence.has(this.nextSequence)) this.step();
    const sequence = this.nextSequence;
    this.step();
    return sequence;
  }

  private step(): void {
    this.nextSequence = this.nextSequence === 0xffff ? 1 : this.nextSequence + 1;
  }
}

/**
 * When a probe whose first echo went out needs attention again: its next echo (`intervalMs`
 * after the previous one was due), or its deadline (`timeoutMs` after the first echo).
 */
export function nextMoment(probe: Probe): number {
  const deadline = probe.firstAt + probe.policy.timeoutMs;
  const nextEcho = probe.firstAt + probe.queued * probe.policy.intervalMs;
  return probe.queued < probe.policy.count && nextEcho < deadline ? nextEcho : deadline;
}

/** A send error, in the words of the report. */
export function describe(error: Error): string {
  if (/not permitted/i.test(error.message)) return "blocked by the local firewall";
  return error.message;
}
