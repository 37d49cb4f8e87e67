/**
 * partnerlink's resource provider plugin (`pulumi-resource-partnerlink`): the same two resources as the dynamic
 * provider, served by the Node.js provider server (`@pulumi/pulumi/provider` `main`) under the package tokens
 * `partnerlink:index:PartnerAdminLink` and `partnerlink:index:LighthouseOnboarding`.
 *
 * Why a plugin besides the dynamic resources: `pulumi import` (and the `import` resource option) reads a
 * resource with its ID only, and a dynamic resource's code lives in its `__provider` property, which an import has
 * not got, so the dynamic provider host cannot read it (docs/e2e.md). A plugin has its code on disk, so import
 * works. Every operation is the dynamic provider's (provider/*-ops.ts): one implementation, two ways in.
 *
 * What the plugin adds: a resource that declares no connection signs in from the environment
 * (environment-connection.ts), which is what an import has; such a connection is never written to state or
 * outputs. A declared connection is kept, as with the dynamic resources, and marked secret.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import * as lighthouseOps from "../lighthouse-onboarding-ops";
import * as palOps from "../partner-admin-link-ops";
import { providerError } from "../connection-args";
import { PLUGIN_LIGHTHOUSE_ONBOARDING_TYPE, PLUGIN_PACKAGE, PLUGIN_PARTNER_ADMIN_LINK_TYPE } from "../type-tokens";
import { connectionFromEnvironment } from "./environment-connection";
import { PLUGIN_INPUT_PROPERTIES, pluginSchema } from "./schema";
import { unwrapSecrets, withSecrets } from "./rpc-values";

type Props = Record<string, any>;

/** What differs between the two resources as far as the plugin is concerned. */
interface ResourceKind {
  label: string;
  /** The input that holds the connection the resource signs in with. */
  connectionKey: string;
  /** The inputs a read gives back (an import records them as the resource's inputs): the schema's input properties. */
  inputKeys: readonly string[];
  /** Set when an import (a read with the ID only) cannot rebuild the inputs: why, and what to do instead. */
  importRefused?: string;
  ops: {
    check(olds: unknown, news: Props): Promise<pulumi.dynamic.CheckResult>;
    diff(id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult>;
    create(inputs: any): Promise<pulumi.dynamic.CreateResult>;
    read(id: string, props: any): Promise<pulumi.dynamic.ReadResult>;
    update(id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult>;
    remove(id: string, props: any): Promise<void>;
  };
}

const KINDS: Record<string, ResourceKind> = {
  [PLUGIN_PARTNER_ADMIN_LINK_TYPE]: {
    label: "PartnerAdminLink",
    connectionKey: "connection",
    inputKeys: Object.keys(PLUGIN_INPUT_PROPERTIES[PLUGIN_PARTNER_ADMIN_LINK_TYPE]!),
    ops: palOps,
  },
  [PLUGIN_LIGHTHOUSE_ONBOARDING_TYPE]: {
    label: "LighthouseOnboarding",
    connectionKey: "customerConnection",
    inputKeys: Object.keys(PLUGIN_INPUT_PROPERTIES[PLUGIN_LIGHTHOUSE_ONBOARDING_TYPE]!),
    // The ID names the definition, but not which authorization is the PEC one, the customer tenant, nor which
    // resource groups are meant: an import would record guesses as inputs. `pulumi up` adopts instead.
    importRefused:
      "cannot be imported: its ID does not say which authorization is the PEC principal's, nor which resource groups are delegated. " +
      "Declare the resource with its inputs and run `pulumi up`: the definition and assignments are named guid(offerName), so the existing ones are adopted, not duplicated",
    ops: lighthouseOps,
  },
};

/** The type token of a URN (`urn:pulumi:<stack>::<project>::<parent types$>type::<name>`). */
export function typeOfUrn(urn: string): string {
  const parts = urn.split("::");
  const qualified = parts[2] ?? "";
  return qualified.slice(qualified.lastIndexOf("$") + 1);
}

function kindOf(urn: string): ResourceKind {
  const kind = KINDS[typeOfUrn(urn)];
  if (!kind) {
    throw providerError(PLUGIN_PACKAGE, `unknown resource type "${typeOfUrn(urn)}"; this plugin serves ${Object.keys(KINDS).join(" and ")}`, []);
  }
  return kind;
}

/** Plain inputs (secrets unwrapped), and whether the connection came from the environment. */
function withConnection(kind: ResourceKind, raw: Props | undefined): { props: Props; fromEnvironment: boolean } {
  const props = unwrapSecrets(raw ?? {}) as Props;
  if (props[kind.connectionKey] !== undefined) return { props, fromEnvironment: false };
  try {
    return { props: { ...props, [kind.connectionKey]: connectionFromEnvironment() }, fromEnvironment: true };
  } catch (err) {
    throw providerError(
      kind.label,
      `no ${kind.connectionKey} declared, and none in the environment: ${(err as Error).message}`,
      [],
    );
  }
}

/** Outputs for the engine: an environment connection left out, a declared one marked secret. */
function outgoing(kind: ResourceKind, props: Props | undefined, fromEnvironment: boolean): Props {
  const out: Props = { ...(props ?? {}) };
  if (fromEnvironment) delete out[kind.connectionKey];
  return withSecrets(out, [kind.connectionKey]);
}

/** Runs a create or update; a partial create's recorded outputs (ProviderError.properties) get the same treatment as outputs. */
async function recordingPartial<T>(kind: ResourceKind, fromEnvironment: boolean, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const partial = err as { properties?: Props };
    if (partial && typeof partial === "object" && partial.properties) partial.properties = outgoing(kind, partial.properties, fromEnvironment);
    throw err;
  }
}

function inputsOf(kind: ResourceKind, props: Props): Props {
  const out: Props = {};
  for (const k of kind.inputKeys) if (props[k] !== undefined) out[k] = props[k];
  return out;
}

export class PartnerlinkProvider implements provider.Provider {
  readonly version: string;
  readonly schema: string;

  constructor(version: string) {
    this.version = version;
    this.schema = JSON.stringify(pluginSchema(version));
  }

  async check(urn: string, olds: Props, news: Props): Promise<provider.CheckResult> {
    const kind = kindOf(urn);
    let connected: { props: Props; fromEnvironment: boolean };
    try {
      connected = withConnection(kind, news);
    } catch (err) {
      return { inputs: news, failures: [{ property: kind.connectionKey, reason: (err as Error).message }] };
    }
    const result = await kind.ops.check(unwrapSecrets(olds ?? {}), connected.props);
    const inputs = outgoing(kind, result.inputs, connected.fromEnvironment);
    return result.failures && result.failures.length > 0 ? { inputs, failures: result.failures } : { inputs };
  }

  async diff(id: string, urn: string, olds: Props, news: Props): Promise<provider.DiffResult> {
    const kind = kindOf(urn);
    const o = withConnection(kind, olds);
    const n = withConnection(kind, news);
    let oldProps = o.props;
    let newProps = n.props;
    if (o.fromEnvironment !== n.fromEnvironment) {
      // One side signs in from the environment, which can be another sign-in at every run (an import's, a
      // preview's): there is no recorded identity to compare, so the declared connection stands for both.
      const key = kind.connectionKey;
      if (o.fromEnvironment) oldProps = { ...oldProps, [key]: newProps[key] };
      else newProps = { ...newProps, [key]: oldProps[key] };
    }
    const result = await kind.ops.diff(id, oldProps, newProps);
    // One side declared the connection and the other took the environment's: a change to record, not to make.
    const changes = result.changes === true || o.fromEnvironment !== n.fromEnvironment;
    return { ...result, changes };
  }

  async create(urn: string, inputs: Props): Promise<provider.CreateResult> {
    const kind = kindOf(urn);
    const c = withConnection(kind, inputs);
    const result = await recordingPartial(kind, c.fromEnvironment, () => kind.ops.create(c.props));
    return { id: result.id, outs: outgoing(kind, result.outs, c.fromEnvironment) };
  }

  /**
   * Refresh (props are the recorded outputs) and import (props are empty: only the ID). Gives back the inputs
   * too: an import records them as the resource's inputs, and the engine refuses an import without them.
   */
  async read(id: string, urn: string, props?: Props): Promise<provider.ReadResult> {
    const kind = kindOf(urn);
    if (kind.importRefused && Object.keys(props ?? {}).length === 0) throw providerError(`${kind.label} ${id}`, kind.importRefused, []);
    const c = withConnection(kind, props);
    const result = await kind.ops.read(id, c.props);
    if (!result.id) return { id: "", props: {} };
    const outs = outgoing(kind, result.props, c.fromEnvironment);
    return { id: result.id, props: outs, inputs: inputsOf(kind, outs) };
  }

  async update(id: string, urn: string, olds: Props, news: Props): Promise<provider.UpdateResult> {
    const kind = kindOf(urn);
    const o = withConnection(kind, olds);
    const n = withConnection(kind, news);
    const result = await recordingPartial(kind, n.fromEnvironment, () => kind.ops.update(id, o.props, n.props));
    return { outs: outgoing(kind, result.outs, n.fromEnvironment) };
  }

  async delete(id: string, urn: string, props: Props): Promise<void> {
    const kind = kindOf(urn);
    const c = withConnection(kind, props);
    await kind.ops.remove(id, c.props);
  }
}
