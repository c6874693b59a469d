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

  /**
   * The subscriber of `subject`, or its subscribers (the live array: iterate it backwards, so that
   * removing the one being visited shifts only entries already visited), or undefined.
   */
  lookup(subject: string): S | S[] | undefined {
    return this.bySubject.get(subject);
  }

  /** Whether `subject` has a subscriber here. */
  has(subject: string): boolean {
    return this.bySubject.has(subject);
  }

  get subjects(): number {
    return this.bySubject.size;
  }
}
