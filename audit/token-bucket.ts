/**
 * Client-side mirror of Azure Resource Manager's token buckets, so an audit stays inside them instead of
 * hitting 429s. ARM's published numbers (per principal, per region): subscription reads 250 burst / 25 per s;
 * writes and deletes 200 / 10 per s; tenant-level calls the same. Source:
 * https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling
 * (see ../shared/reference/azure-apis.md section 6). Reads against different subscriptions draw from different
 * buckets; tenant-level reads (list subscriptions, PAL) share one.
 */
export interface BucketSpec {
  /** Tokens available at once. */
  burst: number;
  /** Tokens added per second. */
  refillPerSecond: number;
}

export const ARM_READ_BUCKET: BucketSpec = { burst: 250, refillPerSecond: 25 };
export const ARM_WRITE_BUCKET: BucketSpec = { burst: 200, refillPerSecond: 10 };

/** One bucket. `take()` resolves when a token is available (FIFO), never busy-waits. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly spec: BucketSpec, private readonly now: () => number = () => performance.now()) {
    this.tokens = spec.burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    const added = ((t - this.last) / 1000) * this.spec.refillPerSecond;
    if (added > 0) {
      this.tokens = Math.min(this.spec.burst, this.tokens + added);
      this.last = t;
    }
  }

  /** Tokens available now (fractional). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** What the server says is left: never believe we have more than it does. */
  observeRemaining(remaining: number): void {
    this.refill();
    if (Number.isFinite(remaining) && remaining >= 0 && remaining < this.tokens) this.tokens = remaining;
  }

  take(): Promise<void> {
    this.refill();
    if (this.queue.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    this.refill();
    const wait = this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.spec.refillPerSecond) * 1000;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refill();
      while (this.queue.length > 0 && this.tokens >= 1) {
        this.tokens -= 1;
        this.queue.shift()!();
      }
      this.schedule();
    }, Math.ceil(wait));
    this.timer.unref?.();
  }
}

/** Buckets keyed by (kind, scope); created on first use. */
export class BucketSet {
  private buckets = new Map<string, TokenBucket>();
  constructor(private readonly read: BucketSpec = ARM_READ_BUCKET, private readonly write: BucketSpec = ARM_WRITE_BUCKET) {}

  get(kind: "read" | "write", scope: string): TokenBucket {
    const key = `${kind}:${scope}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = new TokenBucket(kind === "read" ? this.read : this.write);
      this.buckets.set(key, b);
    }
    return b;
  }

  /** Forget subscription buckets that are full again, so memory does not grow with the estate. */
  prune(): void {
    for (const [key, b] of this.buckets) if (!key.endsWith(":tenant") && b.available() >= (key.startsWith("read") ? this.read.burst : this.write.burst)) this.buckets.delete(key);
  }

  size(): number {
    return this.buckets.size;
  }
}
