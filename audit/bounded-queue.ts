/**
 * A bounded FIFO between one producer and many consumers: the producer waits when `capacity` items are waiting,
 * consumers wait when none are. It lets the subscription listing read ahead (the next page arrives while workers
 * are busy) without holding the whole estate in memory.
 */
export class BoundedQueue<T> {
  private items: T[] = [];
  private closed = false;
  private failure: unknown;
  private takers: Array<(r: IteratorResult<T>) => void> = [];
  private putters: Array<() => void> = [];

  constructor(private readonly capacity: number) {}

  async put(item: T): Promise<void> {
    while (this.items.length >= this.capacity && !this.closed) await new Promise<void>((r) => this.putters.push(r));
    if (this.closed) return;
    const taker = this.takers.shift();
    if (taker) taker({ value: item, done: false });
    else this.items.push(item);
  }

  /** No more items; `error` makes every waiting and later take() reject with it. */
  close(error?: unknown): void {
    this.closed = true;
    this.failure = error;
    for (const t of this.takers.splice(0)) {
      if (error !== undefined) t(Promise.reject(error) as never);
      else t({ value: undefined as never, done: true });
    }
    for (const p of this.putters.splice(0)) p();
  }

  async take(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) {
      const value = this.items.shift()!;
      this.putters.shift()?.();
      return { value, done: false };
    }
    if (this.closed) {
      if (this.failure !== undefined) throw this.failure;
      return { value: undefined as never, done: true };
    }
    return new Promise((resolve) => this.takers.push(resolve));
  }
}
