import { MdbenchError } from '../errors.js';
import { slicePart, type Slice } from './slice.js';

/** Which instance of a fleet this process is: `index` 0-based of `count`. */
export interface Instance {
  index: number;
  count: number;
}

/** The environment variable a Kubernetes Indexed Job sets to each pod's completion index (0-based). */
export const K8S_INDEX_ENV = 'JOB_COMPLETION_INDEX';

/**
 * Resolves `--instance K --instances N` (K 1-based, as the article numbered its instances); without
 * --instance, a Kubernetes Indexed Job's completion index is used, so one manifest starts the fleet.
 */
export function resolveInstance(instance: number | undefined, instances: number, env: Record<string, string | undefined>): Instance {
  let k = instance;
  if (k === undefined && env[K8S_INDEX_ENV] !== undefined && env[K8S_INDEX_ENV] !== '') {
    k = Number(env[K8S_INDEX_ENV]) + 1;
    if (!Number.isInteger(k))
      throw new MdbenchError('MDB_CONFIG_VALUE', `${K8S_INDEX_ENV}="${env[K8S_INDEX_ENV]}" is not a whole number`, {
        location: { file: 'environment', key: K8S_INDEX_ENV },
      });
  }
  k ??= 1;
  if (k < 1 || k > instances) {
    throw new MdbenchError('MDB_CONFIG_VALUE', `instance ${k} is outside 1..${instances}`);
  }
  return { index: k - 1, count: instances };
}

/** The part of a range of `total` items instance `inst` takes (balanced, contiguous, covering it once). */
export function instanceSlice(total: number, inst: Instance): Slice {
  return slicePart(total, inst.count, inst.index);
}
