/**
 * A problem with one input file: printed as one line naming the file, the JSON path, what is wrong and the fix.
 * The check command reports it on stderr, exits 2 and still checks the other files.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly jsonPath?: string,
  ) {
    super(`${file}${jsonPath ? ` at ${jsonPath}` : ""}: ${detail}`);
    this.name = "InputError";
  }
}
