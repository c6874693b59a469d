/**
 * Which workers accept from the shared listening socket. Every worker waiting on that socket is
 * woken by each new connection and all but one find nothing to accept: with the dozens of workers
 * the open-file limit forces at a million connections, that herd took a fifth of the host's CPU
 * during a ramp (perf: the listener's wake-ups, the context switches, the accept lock). So at most
 * `max` workers accept at a time: one that fills up hands its turn to the next with room, and one
 * that has room again waits for a turn. With `max` workers or fewer, all of them always accept.
 */
export class AcceptTurns {
  private readonly accepting = new Set<number>();
  private readonly waiting: number[] = [];

  constructor(
    private readonly max: number,
    /** Tells worker `id` to accept (true) or to stop (false). */
    private readonly send: (id: number, on: boolean) => void,
  ) {}

  /** Worker `id` listens (it has just started, or been started again): it keeps its turn if one is free. */
  ready(id: number): void {
    this.forget(id);
    if (this.accepting.size < this.max) this.accepting.add(id);
    else {
      this.waiting.push(id);
      this.send(id, false);
    }
  }

  /** Worker `id` is full and has stopped accepting: its turn goes to the next with room. */
  full(id: number): void {
    this.accepting.delete(id);
    this.grant();
  }

  /** Worker `id` has room again: it accepts when a turn is free. */
  room(id: number): void {
    if (this.accepting.has(id) || this.waiting.includes(id)) return;
    this.waiting.push(id);
    this.grant();
  }

  /** Worker `id` is gone. */
  gone(id: number): void {
    this.forget(id);
    this.grant();
  }

  /** The workers accepting now (tests and the monitor). */
  get now(): number[] {
    return [...this.accepting];
  }

  private forget(id: number): void {
    this.accepting.delete(id);
    const at = this.waiting.indexOf(id);
    if (at >= 0) this.waiting.splice(at, 1);
  }

  private grant(): void {
    while (this.accepting.size < this.max && this.waiting.length > 0) {
      const id = this.waiting.shift() as number;
      this.accepting.add(id);
      this.send(id, true);
    }
  }
}
