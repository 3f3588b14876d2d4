/**
 * writeClientPackage (scripts/lib/client-package.ts), the client package `pnpm new-api`
 * writes, on the fixture API in a scratch copy: written once, complete, and a package whose
 * generated core, entry and first test type-check together, and whose test passes.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { getApi, repoRoot } from "../../specs/index.ts";
import { writeClientPackage } from "../lib/client-package.ts";
import { fixtureApi, scratchRepo } from "./scratch-repo.ts";

const run = promisify(execFile);
const scriptsDir = fileURLToPath(new URL("..", import.meta.url));

/** The scratch repo with the fixture API's types going into packages/pets/, and its spec folder a package. */
async function scratchWithClientPackage() {
  const { dir, configPath } = await scratchRepo();
  const config = parseDocument(await readFile(configPath, "utf8"));
  config.setIn(["apis", fixtureApi.id, "x-openapi-ts", "output"], "packages/pets/src/generated/openapi.ts");
  await writeFile(configPath, config.toString());
  await writeFile(join(dir, "specs/pets/package.json"), JSON.stringify({ name: "@fixtures/pets-spec" }));
  await cp(join(repoRoot, "tsconfig.base.json"), join(dir, "tsconfig.base.json"));
  await run(process.execPath, [join(scriptsDir, "bundle.ts"), "--config", configPath]);
  return { dir, configPath, api: getApi(fixtureApi.name, configPath) };
}

describe("writeClientPackage", () => {
  it("writes a complete package whose generated core compiles with it, byte-identical on regeneration", async () => {
    const { dir, configPath, api } = await scratchWithClientPackage();
    const packageDir = join(dir, "packages/pets");

    const docsManifest = join(dir, "packages/docs/package.json");
    await mkdir(join(dir, "packages/docs"), { recursive: true });
    await writeFile(docsManifest, JSON.stringify({ name: "docs", devDependencies: { zod: "1.0.0", "@a/b": "1.0.0" } }));

    const written = await writeClientPackage(api);

    // Registered with the packages that call every client (here only the docs exist).
    expect(written).toContain(docsManifest);
    expect(Object.keys(JSON.parse(await readFile(docsManifest, "utf8")).devDependencies)).toEqual([
      "@a/b",
      "@fixtures/pets",
      "zod",
    ]);
    const packageFiles = written.filter((path) => path.startsWith(packageDir));
    expect(packageFiles.map((path) => path.slice(packageDir.length + 1)).sort()).toEqual([
      "README.md",
      "package.json",
      "src/index.ts",
      "src/version.ts",
      "test/client.test.ts",
      "tsconfig.build.json",
      "tsconfig.json",
      "turbo.json",
      "vitest.config.ts",
    ]);
    const manifest = JSON.parse(await readFile(join(packageDir, "package.json"), "utf8"));
    expect(manifest).toMatchObject({
      name: "@fixtures/pets",
      scripts: {
        generate: "node ../../scripts/generate.ts",
        "test:packaging": "node ../../scripts/check-packages.ts client pets",
      },
      devDependencies: { "@fixtures/pets-spec": "workspace:*" },
    });
    const readme = await readFile(join(packageDir, "README.md"), "utf8");
    // It opens with the example, whose first line of code imports the factory.
    expect(readme).toMatch(
      /^# @fixtures\/pets\n\n[^#]*?```ts\n(\/\/[^\n]*\n)*import \{ createPetsClient \} from "@fixtures\/pets";/,
    );
    expect(readme).toContain('  apiKey: "YOUR_API_KEY",\n  baseUrl: "http://127.0.0.1:4980",');
    expect(await readFile(join(packageDir, "src/index.ts"), "utf8")).toContain(
      'export * from "./generated/client.ts";',
    );

    const generate = [join(scriptsDir, "generate.ts"), "--config", configPath, fixtureApi.name];
    await run(process.execPath, generate);
    const core = await readFile(join(packageDir, "src/generated/client.ts"), "utf8");
    expect(core).toContain("export function createPetsClient(options: PetsClientOptions): PetsClient {");
    expect(core).toContain("  apiKey: string;");
    await run(process.execPath, [...generate, "--check"]);
    await run(process.execPath, generate);
    expect(await readFile(join(packageDir, "src/generated/client.ts"), "utf8")).toBe(core);

    // The runtime, openapi-fetch, vitest and Node's types, as an installed client package has them.
    await symlink(join(repoRoot, "packages/directscale/node_modules"), join(packageDir, "node_modules"));
    const failure = (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`;
    // The package's own compiler, as its build script runs it.
    const tsc = join(packageDir, "node_modules/typescript/bin/tsc");
    const compiled = await run(process.execPath, [tsc, "-p", join(packageDir, "tsconfig.json")]).then(
      () => "",
      failure,
    );
    expect(compiled).toBe("");
    // Its own test passes.
    const vitest = join(packageDir, "node_modules/.bin/vitest");
    const tested = await run(vitest, ["run"], { cwd: packageDir }).then(() => "", failure);
    expect(tested).toBe("");
  });

  it("never overwrites a package, and names the list field a package in the wrong place comes from", async () => {
    const { api } = await scratchWithClientPackage();
    await writeClientPackage(api);
    await expect(writeClientPackage(api)).rejects.toThrow("packages/pets/package.json already exists");

    const elsewhere = { ...api, typesPath: join(api.typesPath, "../../../../other/openapi.ts") };
    await expect(writeClientPackage(elsewhere)).rejects.toThrow(
      "apis.pets@v1.x-openapi-ts.output must be packages/pets/src/generated/openapi.ts for a client package in packages/pets/ (it is packages/other/openapi.ts)",
    );
  });
});
