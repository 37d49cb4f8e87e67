/**
 * Options that contradict each other are usage errors (exit 2, one line, nothing read or written), never resolved
 * silently: a single-valued option given twice (parseArgs keeps the last), two ways to sign in, a service principal's
 * credential without the service principal, credentials beside --identities, one customer's facts beside --customers.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCli } from "../check/run-cli";

const TENANT = "44444444-4444-4444-4444-444444444444";
const OTHER_TENANT = "55555555-5555-5555-5555-555555555555";
const SUB = "66666666-6666-6666-6666-666666666666";
const PEC = "11111111-1111-1111-1111-111111111111";

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pl-options-"));
  fs.writeFileSync(path.join(tmp, "customers.json"), JSON.stringify([{ customer: "Contoso", subscriptionId: SUB }]));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const templateArgs = (out: string) => ["template", "--customer", "Contoso", "--subscription", SUB, "--pec-principal", PEC, "--out", out];

test.each([
  ["check", ["check", "x.json", "--format", "json", "--format", "sarif"], "--format is given more than once; give it once"],
  ["check (--opt=value form)", ["check", "x.json", "--partner-id=1234567", "--partner-id", "7654321"], "--partner-id is given more than once"],
  ["template", [...templateArgs("t1"), "--managing-tenant", TENANT, "--managing-tenant", OTHER_TENANT], "--managing-tenant is given more than once"],
  ["audit", ["audit", "--format", "json", "--format", "csv"], "--format is given more than once"],
  ["emulator", ["emulator", "--port", "0", "--port", "1", "--seed", "no-such-seed.json"], "--port is given more than once"],
])("%s: a single-valued option given twice is a usage error", async (_cmd, argv, message) => {
  const run = await runCli(argv, { cwd: tmp });
  expect([run.code, run.stdout, run.stderr.trim().split("\n")]).toEqual([2, "", [expect.stringContaining(message)]]);
  expect(fs.existsSync(path.join(tmp, "t1"))).toBe(false);
});

test("repeatable options still take several values", async () => {
  const template = await runCli([...templateArgs("t2"), "--managing-tenant", TENANT, "--resource-group", "rg-a", "--resource-group", "rg-b"], { cwd: tmp });
  // Delegated at two resource groups only: an info note says so (PL014), nothing else.
  expect(template.code).toBe(0);
  expect(template.stderr).toMatch(/^t2: info PL014 subscription-associated-at-resource-groups: Subscription 'Contoso': associated at resource groups only: .* rg-a, rg-b, [^\n]*\n$/);
  const params = JSON.parse(fs.readFileSync(path.join(tmp, "t2", "onboarding.parameters.json"), "utf8")) as { parameters: Record<string, { value: unknown }> };
  expect(JSON.stringify(params)).toContain("rg-b");
  // Both allowed tenants apply: the delegation's tenant is the first, so PL009 stays quiet; with neither it fires.
  const check = await runCli(["check", path.join(tmp, "t2"), "--allowed-tenant", TENANT, "--allowed-tenant", OTHER_TENANT, "--format", "json"], { cwd: tmp });
  expect([check.code, check.stderr]).toEqual([0, ""]);
  const other = await runCli(["check", path.join(tmp, "t2"), "--allowed-tenant", OTHER_TENANT, "--allowed-tenant", SUB, "--format", "json"], { cwd: tmp });
  expect(other.code).toBe(1);
  expect(JSON.parse(other.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toContain("PL009");
});

test.each([
  [["--managed-identity", "--azure-cli"], "--managed-identity and --azure-cli are two ways to sign in; give one"],
  [["--tenant-id", TENANT, "--client-id", PEC, "--certificate", "sp.pem", "--federated-token-file", "token"], "--certificate and --federated-token-file are two ways to sign in; give one"],
  [["--certificate", "sp.pem"], "--certificate signs in a service principal: give its --tenant-id and --client-id too"],
  [["--client-id", PEC, "--federated-token-file", "token"], "--federated-token-file signs in a service principal: give its --tenant-id and --client-id too"],
  [["--identities", "ids.yaml", "--azure-cli"], "--identities gives every identity with its credential; drop --azure-cli (or drop --identities)"],
  [["--azure-cli", "--client-id", PEC], "--azure-cli signs in as the Azure CLI's account, which --client-id cannot choose; drop --client-id (or sign in the service principal with --tenant-id, --client-id and its credential)"],
  [["--managed-identity", "--tenant-id", TENANT], "--managed-identity signs in as this host's managed identity, in its own tenant; drop --tenant-id (--client-id picks a user-assigned identity)"],
])("audit %j: conflicting sign-in options are a usage error", async (args, message) => {
  const run = await runCli(["audit", ...args], { cwd: tmp, env: { AZURE_CLIENT_SECRET: "not-used-secret-value" } });
  expect([run.code, run.stdout, run.stderr]).toEqual([2, "", `partnerlink audit: ${message}\n`]);
});

test.each([
  ["--customer", ["--customer", "Fabrikam"], "--customer is one customer's; with --customers each entry gives its own 'customer'"],
  ["--subscription", ["--subscription", SUB], "--subscription is one customer's; with --customers each entry gives its own 'subscriptionId'"],
])("template --customers with %s is a usage error", async (_o, args, message) => {
  const run = await runCli(["template", "--customers", "customers.json", ...args, "--managing-tenant", TENANT, "--pec-principal", PEC, "--out", "batch"], { cwd: tmp });
  expect([run.code, run.stderr]).toEqual([2, expect.stringContaining(message)]);
  expect(fs.existsSync(path.join(tmp, "batch"))).toBe(false);
});
