/**
 * Reads the root stack's config from Pulumi (namespace `partnerlink`) into a validated StackConfig plus its
 * secrets. Invalid config stops the program with a RunError: Pulumi prints its message alone, without a stack
 * trace (@pulumi/pulumi cmd/run/run.js, `RunError.isInstance(err)` -> `log.error(err.message)`).
 */
import * as pulumi from "@pulumi/pulumi";
import { deployerSecretPath, parseStackConfig, StackConfigError, type StackConfig } from "./stack-config";
import { stackError, type StackSecrets } from "./onboarding-program";

export const NAMESPACE = "partnerlink";

/** Plain (non-secret) keys of the stack config, in schema order. */
const PLAIN_KEYS = ["partner", "arm", "templatesDir", "allowedManagingTenants", "customers"] as const;

function readPlain(config: pulumi.Config, key: string): unknown {
  // `templatesDir` is a string; every other key is an object or list given with --path or set-all --json.
  try {
    return key === "templatesDir" ? config.get(key) : config.getObject<unknown>(key);
  } catch (err) {
    const detail = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw stackError(`invalid stack config:\n  ${NAMESPACE}:${key}: ${detail}`);
  }
}

/** The validated config and the secrets (as secret Outputs). Throws a RunError naming the key and index. */
export function readStackConfig(config: pulumi.Config = new pulumi.Config(NAMESPACE)): { config: StackConfig; secrets: StackSecrets } {
  const raw: Record<string, unknown> = {};
  for (const key of PLAIN_KEYS) {
    const v = readPlain(config, key);
    if (v !== undefined) raw[key] = v;
  }
  let parsed: StackConfig;
  try {
    parsed = parseStackConfig(raw, NAMESPACE);
  } catch (err) {
    if (err instanceof StackConfigError) throw stackError(err.message);
    throw err;
  }
  const pecClientSecret = config.getSecret("pecClientSecret");
  if (pecClientSecret === undefined) {
    throw stackError(
      `invalid stack config:\n  ${NAMESPACE}:pecClientSecret is required (the client secret of partner.pecPrincipal, which makes the Partner Admin Link). ` +
        `Set it with \`pulumi config set --secret pecClientSecret <secret>\``,
    );
  }
  warnIfPlainText(config, "pecClientSecret", "pulumi config set --secret pecClientSecret <client secret>");
  const needsDeployers = parsed.customers.some((c) => c.deployer);
  const deployerSecretValues = deployerSecretsObject(config, parsed);
  const deployerSecrets = deployerSecretValues === undefined ? undefined : pulumi.secret(deployerSecretValues);
  if (deployerSecretValues !== undefined) {
    const customer = Object.keys(deployerSecretValues)[0] ?? "<customer>";
    warnIfPlainText(config, "deployerSecrets", `pulumi config set --secret --path '${deployerSecretPath(customer)}' <client secret>, for each customer`);
  }
  if (deployerSecrets === undefined && needsDeployers) {
    const i = parsed.customers.findIndex((c) => c.deployer);
    throw stackError(
      `invalid stack config:\n  ${NAMESPACE}:deployerSecrets is required: ${NAMESPACE}:customers[${i}] ('${parsed.customers[i].name}') has a deployer. ` +
        `Set it with \`pulumi config set --secret --path '${deployerSecretPath(parsed.customers[i].name)}' <client secret>\``,
    );
  }
  // Only the customer NAMES are read in plain text (to refuse a deployer without a secret before anything is
  // declared); the values stay inside the secret Output.
  const names = Object.keys(deployerSecretValues ?? {});
  return { config: parsed, secrets: { pecClientSecret, deployerSecrets: deployerSecrets ?? pulumi.secret({}), deployerSecretNames: names } };
}

/**
 * Warns (never printing the value) when a secret key was set without `--secret`: the program still reads it as a
 * secret and keeps it out of state, but the stack's settings file (Pulumi.<stack>.yaml, usually committed) holds it in
 * clear. Which config keys are secret the Node.js language host tells the program in the environment variable
 * PULUMI_CONFIG_SECRET_KEYS, a JSON list of full keys (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs main.go,
 * `pulumiConfigSecretKeysVar`; read by @pulumi/pulumi runtime/config.ts `isConfigSecret`). Without that list (an
 * Automation API inline program, mocks) nothing is said: no list is no evidence.
 */
function warnIfPlainText(config: pulumi.Config, key: string, fix: string): void {
  let secretKeys: unknown;
  try {
    secretKeys = JSON.parse(process.env.PULUMI_CONFIG_SECRET_KEYS ?? "");
  } catch {
    return;
  }
  const fullKey = `${config.name}:${key}`;
  if (!Array.isArray(secretKeys) || secretKeys.includes(fullKey)) return;
  void pulumi.log.warn(
    `${fullKey} is set in plain text: the stack's settings file (Pulumi.<stack>.yaml) holds the client secret in clear. ` +
      `Fix: set it again as a secret (\`${fix}\`), and rotate the secret if the file was ever committed or shared`,
  );
}

/**
 * The plain object behind `deployerSecrets` (only ever wrapped in a secret or read for its keys), or a RunError that
 * never repeats its value: Pulumi's own error for a value that is not JSON ("Configuration ... value '<the secret>'
 * is not a valid JSON object") would print the secret, which is what it is after `pulumi config set --secret
 * deployerSecrets <client secret>` without --path.
 */
function deployerSecretsObject(config: pulumi.Config, parsed: StackConfig): Record<string, string> | undefined {
  let v: unknown;
  try {
    v = config.getObject<unknown>("deployerSecrets");
  } catch {
    v = null;
  }
  if (v === undefined) return undefined;
  if (v !== null && typeof v === "object" && !Array.isArray(v)) return v as Record<string, string>;
  const customer = parsed.customers.find((c) => c.deployer)?.name ?? parsed.customers[0]?.name ?? "<customer>";
  throw stackError(
    `invalid stack config:\n  ${NAMESPACE}:deployerSecrets is not a JSON object of customer name -> client secret (its value is not shown: it is secret). ` +
      `Set each customer's secret by path: \`pulumi config set --secret --path '${deployerSecretPath(customer)}' <client secret>\``,
  );
}
