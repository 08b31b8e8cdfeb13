/**
 * A first-come-first-served async lock. Backends with a single connection use
 * it so that a transaction has the connection to itself: nothing else may
 * interleave statements on it until the transaction ends.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private held = false;

  /** Whether some work holds the lock now. */
  get isLocked(): boolean {
    return this.held;
  }

  /** Resolves with a release function once the lock is ours. */
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => next);
    await previous;
    this.held = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held = false;
      release();
    };
  }

  /** Runs `work` when the lock is free, holding it until the work settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
