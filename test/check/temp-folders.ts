import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Temp folders for the check tests that run the CLI on files written for them: one root per suite (made before it,
 * removed after it) and a fresh folder per test. Call at the top of a test file or describe block.
 */
export function tempFolders(prefix: string): {
  /** The suite's root folder. */
  root(): string;
  /** A folder `name` under the root holding `files`: strings written as they are, anything else as JSON. */
  folder(name: string, files: Record<string, unknown>): string;
} {
  let root = "";
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  return {
    root: () => root,
    folder(name, files) {
      const dir = path.join(root, name);
      fs.mkdirSync(dir, { recursive: true });
      for (const [f, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), typeof content === "string" ? content : JSON.stringify(content, null, 2));
      }
      return dir;
    },
  };
}
