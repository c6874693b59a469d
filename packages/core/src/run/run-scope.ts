/**
 * What a run holds open (output files, endpoints, signal handlers, workers), closed in the reverse
 * order of opening: at the end of the run, and as well when the run fails half-way, so a failure
 * after the metrics endpoint opened does not leave it listening.
 */
export class RunScope {
  private readonly held: { what: string; close: () => unknown }[] = [];
  private readonly onError: (line: string) => void;

  constructor(onError: (line: string) => void) {
    this.onError = onError;
  }

  /** Holds `resource` until the run ends and returns it; null and undefined are not held. */
  hold<T>(what: string, resource: T, close: (r: NonNullable<T>) => unknown): T {
    if (resource !== null && resource !== undefined) this.held.push({ what, close: () => close(resource as NonNullable<T>) });
    return resource;
  }

  /** Closes what is held, last opened first; a failure to close is said and the rest still closed. */
  async close(): Promise<void> {
    for (let h = this.held.pop(); h; h = this.held.pop()) {
      try {
        await h.close();
      } catch (err) {
        this.onError(`closing the ${h.what}: ${(err as Error).message}`);
      }
    }
  }
}

/** Runs `body` with a scope that is closed however the body ends (a body may close it earlier itself). */
export async function withScope<T>(onError: (line: string) => void, body: (scope: RunScope) => Promise<T>): Promise<T> {
  const scope = new RunScope(onError);
  try {
    return await body(scope);
  } finally {
    await scope.close();
  }
}
