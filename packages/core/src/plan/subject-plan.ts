import type { Sequence } from '../config/ranges.js';

/** A small fast PRNG (mulberry32), so subject choices are reproducible from a seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface SubjectPlanInput {
  subjects: Sequence;
  perClient: number;
  /** Client i takes subjects i*perClient .. i*perClient+perClient-1 (the article's OneToOne). */
  oneToOne: boolean;
  /** Seed for random choices; the same seed gives every connection the same subjects again. */
  seed: number;
}

/**
 * Which subjects connection `i` subscribes to, computed from `i` alone so nothing is stored per
 * connection and a reconnect subscribes to the same subjects again. `i` is the connection's index
 * in the whole fleet (instances x clients), so one-to-one runs split the subject range as the
 * article did by hand.
 */
export class SubjectPlan {
  private readonly input: SubjectPlanInput;

  constructor(input: SubjectPlanInput) {
    if (input.perClient < 1) throw new RangeError('SubjectsPerClient must be at least 1');
    if (!input.oneToOne && input.perClient > input.subjects.count) {
      throw new RangeError(`SubjectsPerClient ${input.perClient} exceeds the ${input.subjects.count} subjects available`);
    }
    this.input = input;
  }

  subjectsOf(i: number): string[] {
    const { subjects, perClient, oneToOne, seed } = this.input;
    const n = subjects.count;
    if (oneToOne) {
      const out: string[] = [];
      for (let j = 0; j < perClient; j++) out.push(subjects.at((i * perClient + j) % n));
      return out;
    }
    const rand = mulberry32(mix(seed, i));
    if (perClient === 1) return [subjects.at(Math.floor(rand() * n))];
    const picked = new Set<number>();
    while (picked.size < perClient) picked.add(Math.floor(rand() * n));
    return [...picked].map((k) => subjects.at(k));
  }
}
