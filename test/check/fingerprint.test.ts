/**
 * cli/reporters/fingerprint.ts: the part of a finding's JSON path a SARIF fingerprint keeps, for the path shapes the
 * adapters write (formats/terraform.ts, formats/arm-template.ts, rules/engine.ts for the config's subscriptions).
 */
import { checkFingerprints, pathInResource } from "../../cli/reporters/fingerprint";

describe("pathInResource: the path below the resource a list holds by position", () => {
  test.each([
    // Terraform plan: resource_changes, and planned_values or prior_state through child modules
    ["$.resource_changes[12].change.after.authorization[0].principal_id", ".change.after.authorization[0].principal_id"],
    ["$.resource_changes[3].change.after_unknown.authorization[1].principal_id", ".change.after_unknown.authorization[1].principal_id"],
    ["$.planned_values.root_module.child_modules[1].child_modules[0].resources[4].values.scope", ".values.scope"],
    ["$.prior_state.values.root_module.resources[2].values.managing_tenant_id", ".values.managing_tenant_id"],
    // ARM: a template's resources, and a nested deployment's inside one (the innermost resource)
    ["$.resources[2].properties.authorizations[1].roleDefinitionId", ".properties.authorizations[1].roleDefinitionId"],
    ["$.resources[1].properties.template.resources[0].properties.managedByTenantId", ".properties.managedByTenantId"],
    ["$.resources[1].resourceGroup", ".resourceGroup"],
    ["$.resources[1].properties.template.resources[0]", ""],
    // The config's subscriptions
    ["$.subscriptions[4].dpor", ".dpor"],
  ])("%s -> %s", (path, expected) => {
    expect(pathInResource(path)).toBe(expected);
  });

  test.each([
    // Named, not placed: .tf.json and CDKTF output, languageVersion 2.0 symbolic names, parameters files, the schema
    "$.resource.azurerm_lighthouse_definition.contoso.authorization[0].principal_id",
    "$.resources.definition.properties.copy[0].input.roleDefinitionId",
    "$.parameters.authorizations.value[1].principalId",
    "$.$schema",
    // A member called subscriptions below the root places no resource; a property path of CDKTF props has no root
    "$.resource.azapi_resource.x.body.subscriptions[0]",
    "authorizations[0].principalId",
  ])("%s is kept whole", (path) => {
    expect(pathInResource(path)).toBe(path);
  });
});

describe("checkFingerprints", () => {
  const f = (path: string, message: string, resource = "Contoso") => ({ ruleId: "PL012", uri: "onboard.json", resource, path, message });

  test("findings at one path (a copy loop's iterations) differ by their message, written with the path within the resource", () => {
    const at = (i: number) => [f(`$.resources[${i}].properties.scope`, `'Contoso' ($.resources[${i}].properties.scope): rg-a`), f(`$.resources[${i}].properties.scope`, `'Contoso' ($.resources[${i}].properties.scope): rg-b`)];
    const first = checkFingerprints(at(0));
    expect(new Set(first).size).toBe(2);
    expect(checkFingerprints(at(5))).toEqual(first);
  });

  test("findings that share even that keep apart by the message as it is", () => {
    // One resource name at the same place of two nested deployments, the same message but for the path.
    const a = f("$.resources[0].properties.template.resources[0].name", "'Contoso' ($.resources[0].properties.template.resources[0].name)");
    const b = f("$.resources[1].properties.template.resources[0].name", "'Contoso' ($.resources[1].properties.template.resources[0].name)");
    const [fa, fb] = checkFingerprints([a, b]);
    expect(fa).not.toBe(fb);
  });
});
