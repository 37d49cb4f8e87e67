/**
 * parseRegistrationDefinitionId is hand-rolled (no RegExp in the adapters' hot loop): it must accept exactly what
 * the documented pattern accepts, `^/?subscriptions/{guid}/providers/Microsoft.ManagedServices/registrationDefinitions/{guid}/?$`
 * (case-insensitive, after trim) or a bare GUID.
 */
import { parseRegistrationDefinitionId, parseScope } from "../../rules/identifiers";

const G = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const PATTERN = new RegExp(`^/?subscriptions/(${G})/providers/Microsoft\\.ManagedServices/registrationDefinitions/(${G})/?$`, "i");
const BARE = new RegExp(`^${G}$`);

function reference(s: string): { definitionId: string; subscriptionId?: string } | undefined {
  const t = s.trim();
  if (BARE.test(t)) return { definitionId: t.toLowerCase() };
  const m = PATTERN.exec(t);
  return m ? { subscriptionId: m[1]!.toLowerCase(), definitionId: m[2]!.toLowerCase() } : undefined;
}

const SUB = "6a5d7a3c-1b2e-4c5d-8e9f-0a1b2c3d4e5f";
const DEF = "0A1B2C3D-4E5F-4a5b-9c8d-7e6f5a4b3c2d";
const GOOD = `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/${DEF}`;

const INPUTS = [
  GOOD,
  GOOD.slice(1),
  `${GOOD}/`,
  `  ${GOOD}\n`,
  GOOD.toUpperCase(),
  GOOD.toLowerCase(),
  DEF,
  ` ${DEF} `,
  `${GOOD}//`,
  `//${GOOD.slice(1)}`,
  GOOD.replace("registrationDefinitions", "registrationAssignments"),
  GOOD.replace("/providers/", "/resourceGroups/rg/providers/"),
  GOOD.replace("Microsoft.ManagedServices", "Microsoft_ManagedServices"),
  GOOD.replace("subscriptions", "ſubscriptions"), // non-ASCII case folding is not ASCII 's'
  GOOD.replace("Microsoft", "Microſoft"),
  GOOD.slice(0, -1),
  `${GOOD}0`,
  GOOD.replace(SUB, SUB.slice(0, 35)),
  GOOD.replace(SUB, `{${SUB}}`),
  GOOD.replace(DEF, `${DEF.slice(0, 8)}_${DEF.slice(9)}`),
  "",
  "/",
  "subscriptions/",
];

describe("parseRegistrationDefinitionId", () => {
  test.each(INPUTS.map((s) => [s]))("agrees with the documented pattern on %j", (s) => {
    expect(parseRegistrationDefinitionId(s)).toEqual(reference(s));
  });

  test("reads the GUIDs in lower case", () => {
    expect(parseRegistrationDefinitionId(GOOD)).toEqual({ subscriptionId: SUB, definitionId: DEF.toLowerCase() });
    expect(parseRegistrationDefinitionId(42)).toBeUndefined();
  });
});

describe("parseScope fast path", () => {
  const RG = "[-\\w._()\\p{L}\\p{N}]{0,89}[-\\w_()\\p{L}\\p{N}]";
  const SCOPE = new RegExp(`^/?subscriptions/(${G})(?:/resourceGroups/(${RG}))?/?$`, "iu");
  const SCOPES = [
    `/subscriptions/${SUB}`,
    `subscriptions/${SUB}`,
    `/subscriptions/${SUB}/`,
    ` /SUBSCRIPTIONS/${SUB.toUpperCase()} `,
    `/ſubscriptions/${SUB}`, // Unicode case folding (the RegExp's u flag) still decides this one
    `/subscriptions/${SUB}//`,
    `/subscriptions/${SUB}x`,
    `/subscriptions/${SUB}/resourceGroups/rg`,
    `/subscriptions/${SUB.slice(1)}`,
    `//subscriptions/${SUB}`,
  ];
  test.each(SCOPES.map((s) => [s]))("agrees with the documented pattern on %j", (s) => {
    const m = SCOPE.exec(s.trim());
    const want = m ? (m[2] === undefined ? { subscriptionId: m[1]!.toLowerCase(), scope: `/subscriptions/${m[1]!.toLowerCase()}` } : { subscriptionId: m[1]!.toLowerCase(), resourceGroup: m[2], scope: `/subscriptions/${m[1]!.toLowerCase()}/resourceGroups/${m[2]}` }) : undefined;
    expect(parseScope(s)).toEqual(want);
  });
});
