/**
 * Items due at a time, kept in buckets of `slotMs` so that a million reconnects waiting out their
 * backoff cost one array slot each and no timer. `takeDue` hands back, oldest slot first, the items
 * whose slot has come: an item is never early, and at most one slot late.
 */
export class DelayQueue<T> {
  private readonly slotMs: number;
  private readonly slots = new Map<number, T[]>();
  private readonly keys: number[] = [];
  size = 0;

  constructor(slotMs = 25) {
    this.slotMs = slotMs;
  }

  add(item: T, dueMs: number): void {
    const slot = Math.ceil(dueMs / this.slotMs);
    let list = this.slots.get(slot);
    if (!list) {
      this.slots.set(slot, (list = []));
      // Keep slot keys sorted; new slots almost always go at the end.
      let i = this.keys.length;
      while (i > 0 && this.keys[i - 1] > slot) i--;
      this.keys.splice(i, 0, slot);
    }
    list.push(item);
    this.size++;
  }

  /** Removes and returns up to `max` items due at `nowMs`. */
  takeDue(nowMs: number, max: number): T[] {
    const out: T[] = [];
    const nowSlot = Math.floor(nowMs / this.slotMs);
    while (this.keys.length > 0 && this.keys[0] <= nowSlot && out.length < max) {
      const slot = this.keys[0];
      const list = this.slots.get(slot) as T[];
      const n = Math.min(list.length, max - out.length);
      for (let i = 0; i < n; i++) out.push(list[i]);
      if (n === list.length) {
        this.slots.delete(slot);
        this.keys.shift();
      } else {
        this.slots.set(slot, list.slice(n));
      }
    }
    this.size -= out.length;
    return out;
  }
}
