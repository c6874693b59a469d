import type { Clock } from '@mdbench/core/worker';
import type { Subscriber } from './subscriber.js';

export interface ArrivalsOptions {
  /** This worker's share of --arrival-rate, connections per second. */
  ratePerSec: number;
  /** Most connections at once (this worker's share of --clients). */
  ceiling: number;
  clock: Clock;
  rand?: () => number;
  /** Makes the worker's k-th connection (its fleet number and subjects). */
  create(k: number): Subscriber;
  /** Starts connecting it now. */
  start(c: Subscriber): void;
  /** An arrival found every slot taken. */
  refused(): void;
}

/**
 * The open model (--arrival-rate): connections arrive by a Poisson process at the rate, whatever
 * the server does with the earlier ones (an arrival does not wait for a connect to finish), take a
 * free slot (its planned address and port) up to the ceiling, and leave for good at the end of
 * their lifetime, freeing the slot for a later arrival. An arrival with every slot taken is counted.
 */
export class Arrivals {
  private readonly options: ArrivalsOptions;
  private readonly rand: () => number;
  private readonly free: Subscriber[] = [];
  private created = 0;
  private nextMs: number;

  constructor(o: ArrivalsOptions) {
    this.options = o;
    this.rand = o.rand ?? Math.random;
    this.nextMs = o.clock.monotonicMs() + this.gapMs();
  }

  private gapMs(): number {
    return (-Math.log(1 - this.rand()) * 1000) / this.options.ratePerSec;
  }

  /** No more arrivals (the run is ending): those connecting finish, none starts. */
  stopped = false;

  /** The arrivals due by now. */
  tick(): void {
    if (this.stopped) return;
    const now = this.options.clock.monotonicMs();
    while (this.nextMs <= now) {
      this.arrive();
      this.nextMs += this.gapMs();
    }
  }

  private arrive(): void {
    const c = this.free.pop() ?? (this.created < this.options.ceiling ? this.options.create(this.created++) : null);
    if (c) this.options.start(c);
    else this.options.refused();
  }

  /** A connection left (its lifetime ended): its slot waits for a later arrival. */
  leave(c: Subscriber): void {
    this.free.push(c);
  }
}
