/** Types for require-from-string 2.x (it ships none): loads a module from its source text. */
declare module "require-from-string" {
  function requireFromString(code: string, filename?: string): any; // a module of any shape, as `require` returns
  export = requireFromString;
}
