import { TokenBucket, BucketSet } from "../../audit/token-bucket";
import { bucketOf } from "../../audit/rate-limit-policy";

test("a bucket hands out its burst at once, then one token per refill interval", async () => {
  let now = 0;
  const b = new TokenBucket({ burst: 3, refillPerSecond: 10 }, () => now);
  for (let i = 0; i < 3; i++) await b.take();
  let got = false;
  const p = b.take().then(() => (got = true));
  await new Promise((r) => setTimeout(r, 20));
  expect(got).toBe(false); // the clock has not moved: no token
  now = 100; // 0.1 s at 10/s: one token
  await p;
  expect(got).toBe(true);
});

test("the server's remaining count lowers the bucket, never raises it", () => {
  let now = 0;
  const b = new TokenBucket({ burst: 250, refillPerSecond: 25 }, () => now);
  b.observeRemaining(7);
  expect(b.available()).toBe(7);
  b.observeRemaining(100);
  expect(b.available()).toBe(7);
  now = 1000;
  expect(b.available()).toBe(32);
});

test("requests draw on their subscription's read or write bucket, tenant-level calls on the tenant's", () => {
  expect(bucketOf({ method: "GET", url: "https://x/subscriptions/51000000-0000-4000-8000-000000000001/providers/Microsoft.ManagedServices/registrationAssignments" })).toEqual({
    kind: "read",
    scope: "51000000-0000-4000-8000-000000000001",
  });
  expect(bucketOf({ method: "PUT", url: "https://x/providers/Microsoft.ManagementPartner/partners/1234567" })).toEqual({ kind: "write", scope: "tenant" });
  expect(bucketOf({ method: "GET", url: "https://x/subscriptions?api-version=2022-12-01" })).toEqual({ kind: "read", scope: "tenant" });
});

test("full subscription buckets are pruned so memory does not grow with the estate", () => {
  const set = new BucketSet({ burst: 5, refillPerSecond: 1000 }, { burst: 5, refillPerSecond: 1000 });
  for (let i = 0; i < 100; i++) set.get("read", `sub-${i}`);
  set.get("read", "tenant");
  set.prune();
  expect(set.size()).toBe(1);
});
