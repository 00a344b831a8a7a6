/**
 * Gathers the calls that arrive while one batch is at the database into the next batch, so
 * that sends in flight together share statements instead of queueing one statement each
 * behind a single SQLite connection. A call that finds nothing running waits for no one, and
 * every batch goes out after its calls were made, so it reads and writes what a lone
 * statement would. A failed batch fails each of its calls.
 */
export class Batcher<T, R> {
  private waiting: Waiter<T, R>[] = [];
  private running = false;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly limit: BatchLimit<T>,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.running) return;
      this.running = true;
      // Calls made in the same turn of the event loop (a worker's batch) share the first one.
      queueMicrotask(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      let batch: Waiter<T, R>[] = [];
      try {
        batch = this.take();
        const results = await this.run(batch.map((waiter) => waiter.item));
        if (results.length !== batch.length) {
          throw new Error(`a batch of ${batch.length} answered ${results.length} results`);
        }
        batch.forEach((waiter, index) => waiter.resolve(results[index]!));
      } catch (error) {
        // Had the batch not even been formed (an item that cannot be weighed), the oldest call
        // takes the error, so that the others still go and none waits for ever.
        if (batch.length === 0) batch = this.waiting.splice(0, 1);
        for (const waiter of batch) waiter.reject(error);
      }
    }
    this.running = false;
  }

  /** The oldest calls, up to the item limit and the weight limit; at least one. */
  private take(): Waiter<T, R>[] {
    const { items, weight, maxWeight = Infinity } = this.limit;
    let count = 0;
    let total = 0;
    while (count < this.waiting.length && (count === 0 || count < items)) {
      total += weight?.(this.waiting[count]!.item) ?? 0;
      if (count > 0 && total > maxWeight) break;
      count += 1;
    }
    return this.waiting.splice(0, count);
  }
}

export interface BatchLimit<T> {
  items: number;
  /** What one item weighs (the bytes it adds to a statement), and how much a batch may hold. */
  weight?: (item: T) => number;
  maxWeight?: number;
}

interface Waiter<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}
