/**
 * Fault injection: rules matched by method/path regex, firing on the first N matches, every Nth match
 * or with a probability drawn from a seeded PRNG (mulberry32), so a run is reproducible.
 */
import type { FaultRule } from "./types";

/** mulberry32: a small, fast, seedable PRNG (public domain, Tommy Ettinger). */
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

interface ActiveRule {
  rule: FaultRule;
  method?: RegExp;
  path?: RegExp;
  matches: number;
  random: () => number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  constructor(rules: FaultRule[] = []) {
    this.set(rules);
  }

  set(rules: FaultRule[]): void {
    this.rules = rules.map((rule, i) => {
      const compile = (src: string | undefined, what: string): RegExp | undefined => {
        if (src === undefined) return undefined;
        try {
          return new RegExp(src, "i");
        } catch (err) {
          throw new Error(`fault rule [${i}].${what}: invalid regular expression '${src}' (${(err as Error).message})`);
        }
      };
      return { rule, method: compile(rule.method, "method"), path: compile(rule.path, "path"), matches: 0, random: mulberry32(rule.seed ?? 1) };
    });
  }

  /** The first rule that fires for this request, if any. */
  pick(method: string, pathAndQuery: string): FaultRule | undefined {
    for (const r of this.rules) {
      if (r.method && !r.method.test(method)) continue;
      if (r.path && !r.path.test(pathAndQuery)) continue;
      r.matches += 1;
      const { firstN, everyNth, probability } = r.rule;
      let fire: boolean;
      if (firstN !== undefined) fire = r.matches <= firstN;
      else if (everyNth !== undefined) fire = everyNth > 0 && r.matches % everyNth === 0;
      else if (probability !== undefined) fire = r.random() < probability;
      else fire = true;
      if (fire) return r.rule;
    }
    return undefined;
  }
}
