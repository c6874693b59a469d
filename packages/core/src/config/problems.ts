import { ConfigErrors, MdbenchError, type SourceLocation } from '../errors.js';
import { originOf, type ResolvedConfig } from './resolve.js';

/**
 * Collects the problems of a configuration that only show when values are taken together (a plan
 * that does not fit, a pattern that leaves an instance nothing), each located where the value came
 * from: file and line, environment variable or flag. `throwIfAny` reports them all at once.
 */
export class Problems {
  private readonly errors: MdbenchError[] = [];
  private readonly resolved: Pick<ResolvedConfig, 'origins'>;

  constructor(resolved: Pick<ResolvedConfig, 'origins'>) {
    this.resolved = resolved;
  }

  /** Where option `name`'s value came from. */
  at(name: string): SourceLocation {
    return originOf(this.resolved, name);
  }

  /** Records a problem with option `name`. */
  add(name: string, message: string, hint?: string): void {
    this.errors.push(new MdbenchError('MDB_CONFIG_VALUE', message, { location: this.at(name), hint }));
  }

  /**
   * Runs `fn`; an error it throws becomes a problem with option `name` (an MdbenchError keeps its
   * code, exit code, hint, and its own location if it has one). Returns what `fn` returned, or
   * undefined when it threw.
   */
  check<T>(name: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      const e = err instanceof MdbenchError ? err : undefined;
      this.errors.push(
        new MdbenchError(e?.code ?? 'MDB_CONFIG_VALUE', (err as Error).message, {
          location: e?.location ?? this.at(name),
          hint: e?.hint,
          exitCode: e?.exitCode,
        }),
      );
      return undefined;
    }
  }

  get count(): number {
    return this.errors.length;
  }

  /** Throws every problem at once (exit code 2), or returns when there is none. */
  throwIfAny(): void {
    if (this.errors.length === 1) throw this.errors[0];
    if (this.errors.length > 1) throw new ConfigErrors(this.errors);
  }
}
