/**
 * The last four strings of one kind, compared by content: a cache that needs no hashing.
 *
 * An estate repeats the same tenant, principals, roles, display names and durations in every delegation, and each
 * occurrence JSON.parse makes is a string of its own. Two uses:
 * - The adapters keep one string for all occurrences ({@link RecentStrings.reuse}). The model then holds one copy
 *   instead of 10,000s, which scavenges would copy while it is built (the 10,000-delegation plan of bench/check:
 *   26.5 MB of model became 21 MB), and the rules compare it with the ones they remember by identity.
 * - The PL010/PL012 walk (rules/checks/fields.ts) remembers the values it found well formed ({@link has},
 *   {@link add}), and checks each repeat by comparing it, not by parsing it again.
 * Comparing a string with four costs less than hashing it into a Map, and a run of values that never repeat
 * (scopes, definition names) keeps four strings alive, not all of them.
 */
export class RecentStrings {
  // Empty until a value is remembered: a string placeholder ("") would match an empty value.
  private v0: string | undefined;
  private v1: string | undefined;
  private v2: string | undefined;
  private v3: string | undefined;
  private next = 0;

  /** Whether `s` is one of the four (by content). */
  has(s: string): boolean {
    return s === this.v0 || s === this.v1 || s === this.v2 || s === this.v3;
  }

  /** Remembers `s` in place of the oldest of the four. */
  add(s: string): void {
    switch (this.next) {
      case 0:
        this.v0 = s;
        break;
      case 1:
        this.v1 = s;
        break;
      case 2:
        this.v2 = s;
        break;
      default:
        this.v3 = s;
    }
    this.next = (this.next + 1) & 3;
  }

  /** The remembered string equal to `s`; else `s`, now remembered. */
  reuse(s: string): string {
    if (s === this.v0) return this.v0;
    if (s === this.v1) return this.v1;
    if (s === this.v2) return this.v2;
    if (s === this.v3) return this.v3;
    this.add(s);
    return s;
  }
}

/**
 * The values every delegation of an estate tends to repeat, one cache per kind, for the adapters: the model keeps
 * one string for all occurrences. Only strings, compared by content, so what is read is the same.
 */
const MODEL_VALUES = {
  principal: new RecentStrings(),
  role: new RecentStrings(),
  displayName: new RecentStrings(),
  tenant: new RecentStrings(),
  text: new RecentStrings(),
};

/** `v` as an adapter read it; a string as the equal one last read for the same `kind` of model value, if any. */
export function repeatedValue<T>(kind: keyof typeof MODEL_VALUES, v: T): T {
  return typeof v === "string" ? (MODEL_VALUES[kind].reuse(v) as T) : v;
}
