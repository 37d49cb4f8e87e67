/** An ARM error answer: `{"error":{"code","message"}}` with the HTTP status ARM uses. */
export class ArmError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly headers: Record<string, string> = {},
    /** Microsoft.ManagementPartner repeats code and message at the top level (spec `Error`). */
    public readonly flatCopy = false,
  ) {
    super(message);
    this.name = "ArmError";
  }

  body(): unknown {
    const error = { code: this.code, message: this.message };
    return this.flatCopy ? { error, code: this.code, message: this.message } : { error };
  }
}

/** ARM's wording for a missing role assignment (403 AuthorizationFailed). */
export function authorizationFailed(objectId: string, action: string, scope: string): ArmError {
  return new ArmError(
    403,
    "AuthorizationFailed",
    `The client '${objectId}' with object id '${objectId}' does not have authorization to perform action ` +
      `'${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}
