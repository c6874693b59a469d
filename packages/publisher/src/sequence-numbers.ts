/** Per-subject sequence numbers of one publisher: a typed array indexed by subject, or a map for huge sets. */
export class SequenceNumbers {
  private readonly dense: Uint32Array | null;
  private readonly sparse: Map<number, number> | null;

  constructor(subjects: number) {
    const dense = subjects <= 64_000_000;
    this.dense = dense ? new Uint32Array(subjects) : null;
    this.sparse = dense ? null : new Map();
  }

  /** The next sequence number of subject `i`, starting at 1. */
  next(i: number): number {
    if (this.dense) return ++this.dense[i];
    const v = ((this.sparse as Map<number, number>).get(i) ?? 0) + 1;
    (this.sparse as Map<number, number>).set(i, v);
    return v;
  }
}
