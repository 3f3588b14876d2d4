import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

// Packs runtime + both clients, installs the tarballs into a fresh project outside the
// workspace, and compiles and runs a strict consumer there. Needs the three packages built
// (turbo runs their builds before this test) and the npm registry for openapi-fetch.
it("the packed packages install, type-check and run in a fresh project", { timeout: 300_000 }, async () => {
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = execFile(process.execPath, ["scripts/check-packages.ts"], { cwd: repoRoot }, (_, stdout, stderr) =>
      resolve({ code: child.exitCode, output: stdout + stderr }),
    );
  });
  expect(output).toContain("packages check passed");
  expect(code, output).toBe(0);
});
