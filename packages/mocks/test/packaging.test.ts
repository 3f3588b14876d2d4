import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

// Packs this package, installs the tarball into a fresh project outside the workspace (Prism
// comes from the npm registry), type-checks and runs the README's first example there, serves
// one API with the installed `commerce-api-mock`, and runs attw and publint on the tarball.
it("the packed package installs and serves a mock in a fresh project, from code and from its bin", {
  timeout: 300_000,
}, async () => {
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ["scripts/check-packages.ts", "mocks"],
      { cwd: repoRoot },
      (_, stdout, stderr) => resolve({ code: child.exitCode, output: stdout + stderr }),
    );
  });
  expect(output).toContain("packages check passed: @commerce-api/mocks; attw and publint: no problems");
  expect(code, output).toBe(0);
});
