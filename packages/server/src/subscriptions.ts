/**
 * Subscribers by subject. A subject with one subscriber (the article's one-to-one case) stores the
 * subscriber itself, not a set, to keep hundreds of thousands of subjects cheap.
 */
export class Subscriptions<S> {
  private readonly bySubject = new Map<string, S | S[]>();
  /** Subscriptions held (subject x subscriber pairs). */
  size = 0;

  /** Adds; returns true when the subject had no subscriber before. */
  add(subject: string, sub: S): boolean {
    const cur = this.bySubject.get(subject);
    if (cur === undefined) {
      this.bySubject.set(subject, sub);
      this.size++;
      return true;
    }
    if (Array.isArray(cur)) {
      if (cur.includes(sub)) return false;
      cur.push(sub);
    } else {
      if (cur === sub) return false;
      this.bySubject.set(subject, [cur, sub]);
    }
    this.size++;
    return false;
  }

  /** Removes; returns true when the subject has no subscriber left. */
  remove(subject: string, sub: S): boolean {
    const cur = this.bySubject.get(subject);
    if (cur === undefined) return false;
    if (Array.isArray(cur)) {
      const i = cur.indexOf(sub);
      if (i < 0) return false;
      cur.splice(i, 1);
      this.size--;
      if (cur.length === 1) this.bySubject.set(subject, cur[0]);
      return false;
    }
    if (cur !== sub) return false;
    this.bySubject.delete(subject);
    this.size--;
    return true;
  }

  /** Calls `fn` for each subscriber of `subject`; returns how many there were. */
  forEach(subject: string, fn: (sub: S) => void): number {
    const cur = this.bySubject.get(subject);
    if (cur === undefined) return 0;
    if (!Array.isArray(cur)) {
      fn(cur);
      return 1;
    }
    // Backwards, without a copy per message: a callback that removes its own subscriber (a slow
    // consumer disconnected) shifts only entries already visited.
    const n = cur.length;
    for (let i = n - 1; i >= 0; i--) if (i < cur.length) fn(cur[i]);
    return n;
  }

  get subjects(): number {
    return this.bySubject.size;
  }
}
