import schema from "./activation-duration.schema.json";

/**
 * The form partnerlink's own inputs take an eligible authorization's `justInTimeAccessPolicy.maximumActivationDuration`
 * in: ISO 8601 hours and minutes (`PT8H`, `PT30M`, `PT1H30M`), one schema fragment (activation-duration.schema.json)
 * that the template spec and the root stack's config both `$ref`, so `partnerlink template` and the stack take and
 * refuse the same values.
 *
 * Why hours and minutes: the bounds Azure enforces are whole minutes, PT30M..PT8H (rules/facts.ts
 * MIN_/MAX_ACTIVATION_MINUTES, from learn.microsoft.com/azure/lighthouse/how-to/create-eligible-authorizations,
 * "Maximum duration"), and Microsoft's onboarding samples and that page write them in hours and minutes. The
 * 2022-10-01 REST spec types the property as an ISO 8601 `duration`, so Azure may well take `PT28800S` or `P0DT8H`
 * too; `partnerlink check` reads those in templates and plans (rules/identifiers.ts parseIsoDuration), but what
 * partnerlink writes from its own inputs stays in the one form. The range itself is PL005's, not the schema's.
 */
export const ACTIVATION_DURATION_SCHEMA = schema;

/** The fragment's pattern: a schema error carrying it is about this form. */
export const ACTIVATION_DURATION_PATTERN: string = schema.definitions.maximumActivationDuration.pattern;

/** What a value must look like, for error messages ("... must be written as ..."). */
export const ACTIVATION_DURATION_FORM = "ISO 8601 hours and minutes (PT8H, PT30M, PT1H30M)";
