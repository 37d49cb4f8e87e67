/**
 * The emulator's data: the directory (tenants, principals, subscriptions from the seed) and the ARM
 * resources (partner links, registration definitions and assignments, running operations).
 * Tests and the demo use it directly; the HTTP handlers go through it too. With a `statePath` the
 * resources are loaded at start and saved atomically (temp file + rename) after each change.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { jsonSyntaxProblem } from "../rules/json-syntax";
import { emulatorSchema, firstSchemaError } from "./json-validation";
import stateSchema from "./state.schema.json";
import type { EmulatorSeed, SeedPrincipal, SeedSubscription } from "./types";

const STATE_SCHEMA = emulatorSchema("state", stateSchema);

export interface PartnerLinkRecord {
  tenantId: string;
  objectId: string;
  partnerId: string;
  partnerName?: string;
  /** etag and version: 1 at creation, +1 on every change (relink, delete, re-create). */
  version: number;
  createdTime: string;
  updatedTime: string;
  state: "Active" | "Deleted";
}

/** ARM's systemData (who created/changed a resource, when); answered for api-versions from 2020 on. */
export interface SystemData {
  createdBy: string;
  createdByType: "User" | "Application" | "ManagedIdentity" | "Key";
  createdAt: string;
  lastModifiedBy: string;
  lastModifiedByType: "User" | "Application" | "ManagedIdentity" | "Key";
  lastModifiedAt: string;
}

export interface DefinitionRecord {
  /** `/subscriptions/{sub}/providers/Microsoft.ManagedServices/registrationDefinitions/{guid}` */
  id: string;
  subscriptionId: string;
  name: string;
  /** The request's `properties` as sent (validated), without read-only fields. */
  properties: Record<string, unknown>;
  plan?: Record<string, unknown>;
  systemData?: SystemData;
}

export interface AssignmentRecord {
  id: string;
  /** `/subscriptions/{sub}` or `/subscriptions/{sub}/resourceGroups/{rg}` */
  scope: string;
  subscriptionId: string;
  name: string;
  registrationDefinitionId: string;
  provisioningState: "Accepted" | "Succeeded" | "Deleting" | "Failed";
  systemData?: SystemData;
}

export interface OperationRecord {
  token: string;
  kind: "create" | "delete";
  resourceId: string;
  subscriptionId: string;
  polls: number;
  pollsUntilDone: number;
  fail: boolean;
  status: "Accepted" | "Running" | "Succeeded" | "Failed";
}

export interface StateSnapshot {
  partnerLinks: PartnerLinkRecord[];
  registrationDefinitions: DefinitionRecord[];
  registrationAssignments: AssignmentRecord[];
  operations: OperationRecord[];
}

const key = (s: string): string => s.toLowerCase();
const MAX_OPERATIONS = 2000;

export class EmulatorState {
  private readonly links = new Map<string, PartnerLinkRecord>();
  private readonly defs = new Map<string, DefinitionRecord>();
  private readonly assigns = new Map<string, AssignmentRecord>();
  /** Assignment keys per subscription (lower case): audits list thousands of subscriptions. */
  private readonly assignsBySub = new Map<string, Set<string>>();
  private readonly ops = new Map<string, OperationRecord>();
  private readonly principalsById = new Map<string, SeedPrincipal>();
  private readonly subsById = new Map<string, SeedSubscription>();
  private rev = 0;

  constructor(
    public readonly seed: EmulatorSeed,
    private readonly statePath?: string,
  ) {
    for (const p of seed.principals) this.principalsById.set(key(p.objectId), p);
    for (const s of seed.subscriptions) this.subsById.set(key(s.subscriptionId), s);
    if (statePath && existsSync(statePath)) this.load(statePath);
  }

  // ---- directory --------------------------------------------------------------------------
  tenantName(tenantId: string): string | undefined {
    return this.seed.tenants.find((t) => key(t.tenantId) === key(tenantId))?.displayName;
  }
  principal(objectId: string): SeedPrincipal | undefined {
    return this.principalsById.get(key(objectId));
  }
  principalByAppId(tenantId: string, appId: string): SeedPrincipal | undefined {
    return this.seed.principals.find((p) => p.appId && key(p.appId) === key(appId) && key(p.tenantId) === key(tenantId));
  }
  subscription(subscriptionId: string): SeedSubscription | undefined {
    return this.subsById.get(key(subscriptionId));
  }
  subscriptions(): SeedSubscription[] {
    return [...this.seed.subscriptions];
  }
  /** The principal's object ID plus the groups it belongs to (lower case). */
  identitiesOf(objectId: string): Set<string> {
    const out = new Set([key(objectId)]);
    for (const g of this.principal(objectId)?.memberOf ?? []) out.add(key(g));
    return out;
  }
  isOwner(objectId: string, subscriptionId: string): boolean {
    const sub = this.subscription(subscriptionId);
    if (!sub) return false;
    const ids = this.identitiesOf(objectId);
    return sub.owners.some((o) => ids.has(key(o)));
  }

  // ---- partner links ----------------------------------------------------------------------
  listLinks(): PartnerLinkRecord[] {
    return [...this.links.values()].map((l) => ({ ...l }));
  }
  /** The identity's link record (Active or Deleted), if it ever had one. */
  getLink(tenantId: string, objectId: string): PartnerLinkRecord | undefined {
    const l = this.links.get(`${key(tenantId)}/${key(objectId)}`);
    return l && { ...l };
  }
  putLink(rec: PartnerLinkRecord): void {
    this.links.set(`${key(rec.tenantId)}/${key(rec.objectId)}`, { ...rec });
    this.save();
  }
  removeLink(tenantId: string, objectId: string): boolean {
    const ok = this.links.delete(`${key(tenantId)}/${key(objectId)}`);
    if (ok) this.save();
    return ok;
  }

  // ---- registration definitions -----------------------------------------------------------
  listDefinitions(subscriptionId?: string): DefinitionRecord[] {
    return [...this.defs.values()].filter((d) => !subscriptionId || key(d.subscriptionId) === key(subscriptionId)).map(clone);
  }
  getDefinition(id: string): DefinitionRecord | undefined {
    const d = this.defs.get(key(id));
    return d && clone(d);
  }
  putDefinition(rec: DefinitionRecord): void {
    this.defs.set(key(rec.id), clone(rec));
    this.save();
  }
  removeDefinition(id: string): boolean {
    const ok = this.defs.delete(key(id));
    if (ok) this.save();
    return ok;
  }

  // ---- registration assignments -----------------------------------------------------------
  listAssignments(subscriptionId?: string): AssignmentRecord[] {
    if (!subscriptionId) return [...this.assigns.values()].map(clone);
    return [...(this.assignsBySub.get(key(subscriptionId)) ?? [])].map((k) => clone(this.assigns.get(k)!));
  }
  getAssignment(id: string): AssignmentRecord | undefined {
    const a = this.assigns.get(key(id));
    return a && clone(a);
  }
  putAssignment(rec: AssignmentRecord): void {
    this.indexAssignment(rec);
    this.save();
  }
  removeAssignment(id: string): boolean {
    const a = this.assigns.get(key(id));
    if (!a) return false;
    this.assigns.delete(key(id));
    this.assignsBySub.get(key(a.subscriptionId))?.delete(key(id));
    this.save();
    return true;
  }
  private indexAssignment(rec: AssignmentRecord): void {
    this.assigns.set(key(rec.id), clone(rec));
    const sub = key(rec.subscriptionId);
    let set = this.assignsBySub.get(sub);
    if (!set) this.assignsBySub.set(sub, (set = new Set()));
    set.add(key(rec.id));
  }

  // ---- long-running operations ------------------------------------------------------------
  getOperation(token: string): OperationRecord | undefined {
    const o = this.ops.get(token);
    return o && clone(o);
  }
  /** The operation of this kind still running for a resource, if any. */
  pendingOperation(resourceId: string, kind: OperationRecord["kind"]): OperationRecord | undefined {
    for (const o of this.ops.values())
      if (o.kind === kind && key(o.resourceId) === key(resourceId) && (o.status === "Accepted" || o.status === "Running")) return clone(o);
    return undefined;
  }
  putOperation(rec: OperationRecord): void {
    this.ops.set(rec.token, clone(rec));
    // Finished operations are kept for late polls, up to a bound (oldest first out).
    if (this.ops.size > MAX_OPERATIONS)
      for (const [t, o] of this.ops) {
        if (this.ops.size <= MAX_OPERATIONS) break;
        if (o.status === "Succeeded" || o.status === "Failed") this.ops.delete(t);
      }
    this.save();
  }

  /** Object IDs (lower case) a definition authorizes permanently. */
  authorizedPrincipals(def: DefinitionRecord): Set<string> {
    const auths = (def.properties.authorizations as { principalId?: string }[] | undefined) ?? [];
    return new Set(auths.map((a) => key(String(a.principalId))));
  }

  /**
   * Assignments (not failed, not being deleted) in the subscription whose definition authorizes the
   * caller (directly or through a group) from the caller's tenant.
   */
  delegationsFor(tenantId: string, objectId: string, subscriptionId: string): AssignmentRecord[] {
    const ids = this.identitiesOf(objectId);
    return this.listAssignments(subscriptionId).filter((a) => {
      if (a.provisioningState === "Failed" || a.provisioningState === "Deleting") return false;
      const def = this.getDefinition(a.registrationDefinitionId);
      if (!def || key(String(def.properties.managedByTenantId)) !== key(tenantId)) return false;
      const auth = this.authorizedPrincipals(def);
      return [...ids].some((i) => auth.has(i));
    });
  }

  counts(): { partnerLinks: number; activePartnerLinks: number; registrationDefinitions: number; registrationAssignments: number } {
    return {
      partnerLinks: this.links.size,
      activePartnerLinks: [...this.links.values()].filter((l) => l.state === "Active").length,
      registrationDefinitions: this.defs.size,
      registrationAssignments: this.assigns.size,
    };
  }

  snapshot(): StateSnapshot {
    return {
      partnerLinks: this.listLinks(),
      registrationDefinitions: this.listDefinitions(),
      registrationAssignments: this.listAssignments(),
      operations: [...this.ops.values()].map(clone),
    };
  }

  /** Clears every resource (not the directory). */
  reset(): void {
    this.links.clear();
    this.defs.clear();
    this.assigns.clear();
    this.assignsBySub.clear();
    this.ops.clear();
    this.save();
  }

  private load(file: string): void {
    let snap: StateSnapshot;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new Error(`emulator state ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    try {
      snap = JSON.parse(text) as StateSnapshot;
    } catch (err) {
      // The state holds the seed's client secrets: the message names where, never the text around it.
      throw new Error(`emulator state ${file}: not valid JSON${jsonSyntaxProblem(text, err)}; move it away or fix it`);
    }
    const schemaError = firstSchemaError(STATE_SCHEMA, snap);
    if (schemaError) throw new Error(`emulator state ${file}: ${schemaError} (emulator/state.schema.json); move the file away or fix it`);
    for (const l of snap.partnerLinks) this.links.set(`${key(l.tenantId)}/${key(l.objectId)}`, l);
    for (const d of snap.registrationDefinitions) this.defs.set(key(d.id), d);
    for (const a of snap.registrationAssignments) this.indexAssignment(a);
    for (const o of snap.operations ?? []) this.ops.set(o.token, o);
  }

  /** Increases with every change: lets readers cache what they derive (e.g. the subscriptions a caller sees). */
  get revision(): number {
    return this.rev;
  }

  private save(): void {
    this.rev += 1;
    if (!this.statePath) return;
    const tmp = `${this.statePath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.snapshot(), null, 2) + "\n", { mode: 0o600 });
    renameSync(tmp, this.statePath);
  }
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
