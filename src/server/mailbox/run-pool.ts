/*
 * The process's bound on mailbox runs at once (MAILBOX_CONCURRENCY). At start, or when notifications for many
 * mailboxes arrive together, every tenant's catch-up would otherwise start at the same moment: each holds store
 * connections and up to four Graph requests. Runs wait their turn first come, first served, so a mailbox marked
 * dirty is run in its turn however many others keep arriving.
 */

export interface RunPool {
  /** Runs `work` once one of the pool's places is free, in the order asked; the place is freed when it settles. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Runs under way and waiting, for tests and the health view. */
  readonly active: number;
  readonly waiting: number;
}

export function createRunPool(size: number): RunPool {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`A run pool needs at least one place, not ${size}.`);
  let active = 0;
  const queue: Array<() => void> = [];
  const leave = () => {
    const next = queue.shift();
    // The place passes straight to the next in line, so a newcomer cannot take it first.
    if (next) next();
    else active -= 1;
  };
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (active < size) active += 1;
      else await new Promise<void>((resolve) => queue.push(resolve));
      try {
        return await work();
      } finally {
        leave();
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    }
  };
}
