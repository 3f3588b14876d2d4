import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "@commerce-api/specs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalRegistry, startLocalRegistry } from "../src/testing/registry.ts";
import { exec, fixtureApi, fixtureWorkspace } from "../src/testing/scratch-workspace.ts";

// The release machinery on a scratch workspace whose one API is a fixture (Pets), released
// beside this repository's runtime and mocks: no real API's spec is an input, so no spec edit
// reruns this test. The real clients' tarballs are checked with their own packages.
const PUBLIC_PACKAGES = ["@commerce-api/runtime", fixtureApi.packageName, "@commerce-api/mocks"];

// A non-breaking spec edit, released with a minor changeset: the release must version it,
// put the change in plain words into the CHANGELOG and record the new baseline.
const NEW_QUERY_PARAMETER = `  parameters:
    - name: include
      in: query
      required: false
      description: Related records to return with the pet.
      schema:
        type: string
`;

let registry: LocalRegistry;
let workspace: string;
const releaseEnv = () => ({ ...process.env, NPM_CONFIG_USERCONFIG: registry.npmrcPath });
const release = (...args: string[]) => exec("pnpm", ["release", ...args], workspace, releaseEnv());

beforeAll(async () => {
  registry = await startLocalRegistry();
  workspace = await fixtureWorkspace();
}, 300_000);

// Deleting the scratch workspace removes a whole pnpm install (tens of thousands of files):
// on a loaded 2-core machine that alone took more than Vitest's default 10 s for a hook.
afterAll(async () => {
  await registry?.[Symbol.asyncDispose]();
  if (workspace) await rm(workspace, { recursive: true, force: true });
}, 120_000);

describe("pnpm release", () => {
  it("refuses the public npm registry unless told explicitly", async () => {
    const { code, output } = await exec("pnpm", ["release"], workspace, {
      ...process.env,
      NPM_CONFIG_USERCONFIG: join(workspace, "no-such-npmrc"),
      NPM_CONFIG_REGISTRY: "https://registry.npmjs.org/",
    });
    expect(output).toContain("public registry (https://registry.npmjs.org/)");
    expect(output).toContain("--allow-public-registry");
    expect(code).toBe(1);
  });

  it("does nothing when the working tree is dirty", async () => {
    const stray = join(workspace, "stray.txt");
    await writeFile(stray, "not committed\n");
    try {
      const { code, output } = await release();
      expect(output).toContain("uncommitted changes");
      expect(output).toContain("stray.txt");
      expect(code).toBe(1);
    } finally {
      await rm(stray);
    }
  });

  it("versions the pending changesets with the API changes in the CHANGELOG, then publishes every public package", {
    timeout: 600_000,
  }, async () => {
    const specFile = join(workspace, "specs/pets/paths/pets_{petId}.yaml");
    const spec = await readFile(specFile, "utf8");
    const anchor = "  operationId: getPet\n";
    expect(spec).toContain(anchor);
    await writeFile(specFile, spec.replace(anchor, anchor + NEW_QUERY_PARAMETER));
    await writeFile(
      join(workspace, ".changeset/orders-status-filter.md"),
      '---\n"@commerce-api/pets": minor\n---\n\nPets: `GET /pets/{petId}` takes an `include` parameter.\n',
    );
    await exec("git", ["add", "-A"], workspace);
    await exec("git", ["commit", "--quiet", "-m", "Pets: include parameter"], workspace);

    const { code, output } = await release();
    // The mocks ship the bundled specs, so they move with every spec change.
    expect(output).toMatch(/release: versioned and committed \(not pushed\): .*@commerce-api\/pets@1\.1\.0/);
    expect(output).toMatch(/release: versioned and committed \(not pushed\): .*@commerce-api\/mocks@1\.1\.0/);
    for (const name of PUBLIC_PACKAGES) expect(output).toMatch(new RegExp(`published ${name}@\\d+\\.\\d+\\.\\d+`));
    expect(code, output).toBe(0);

    const changelog = await readFile(join(workspace, "packages/pets/CHANGELOG.md"), "utf8");
    expect(changelog).toContain("## 1.1.0");
    expect(changelog).toContain("Pets: `GET /pets/{petId}` takes an `include` parameter.");
    expect(changelog).toContain('GET /pets/{petId}: query parameter "include": added.');
    const baseline = JSON.parse(await readFile(join(workspace, "specs/pets/released/release.json"), "utf8"));
    expect(baseline.version).toBe("1.1.0");

    const log = await exec("git", ["log", "--format=%s", "-1"], workspace);
    expect(log.output).toMatch(/^Release .*@commerce-api\/pets@1\.1\.0/);
    const tags = await exec("git", ["tag", "--list"], workspace);
    expect(tags.output).toContain("@commerce-api/pets@1.1.0");
    // The runtime is tagged at the version it now has (1.0.0, or more if the repository has a
    // pending runtime changeset of its own).
    const runtime = JSON.parse(await readFile(join(workspace, "packages/runtime/package.json"), "utf8"));
    expect(tags.output).toContain(`@commerce-api/runtime@${runtime.version}`);
    const status = await exec("git", ["status", "--porcelain"], workspace);
    expect(status.output).toBe("");
  });

  it("publishes nothing on a rerun: every version is already in the registry", { timeout: 300_000 }, async () => {
    const { code, output } = await release();
    expect(output).toContain("release: no pending changesets: nothing to version");
    expect(output).toContain("published: none");
    expect(output).toContain("@commerce-api/pets@1.1.0");
    expect(code, output).toBe(0);
  });

  it("installs into a fresh app outside the workspace, whose typed call runs against the installed mock", {
    timeout: 300_000,
  }, async () => {
    const app = await mkdtemp(join(tmpdir(), "commerce-api-consumer-app-"));
    try {
      await writeFile(
        join(app, "package.json"),
        JSON.stringify({ name: "consumer-app", private: true, type: "module" }),
      );
      const install = await exec(
        "npm",
        ["install", "--no-audit", "--no-fund", "@commerce-api/pets@1.1.0", "@commerce-api/mocks@1.1.0"],
        app,
        releaseEnv(),
      );
      expect(install.code, install.output).toBe(0);
      await writeFile(
        join(app, "app.ts"),
        [
          'import { startMock } from "@commerce-api/mocks";',
          'import { createPetsClient, type Pet } from "@commerce-api/pets";',
          "",
          'await using mock = await startMock("pets", { port: 0 });',
          'const client = createPetsClient({ apiKey: "any-key", baseUrl: mock.url });',
          'const { data, error } = await client.GET("/pets/{petId}", { params: { path: { petId: 1 }, query: { include: "owner" } } });',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: this is the app's source, template literal and all.
          "if (error) throw new Error(`the installed mock answered ${JSON.stringify(error)}`);",
          "const pet: Pet = data;",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: this is the app's source, template literal and all.
          "console.log(`typed call ok: pet ${pet.id} is ${pet.name}`);",
          "",
        ].join("\n"),
      );
      const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
      const compile = await exec(
        process.execPath,
        [
          tsc,
          "--strict",
          "--target",
          "es2023",
          "--module",
          "nodenext",
          "--lib",
          "es2023,dom,esnext.disposable",
          "--noEmit",
          "app.ts",
        ],
        app,
      );
      expect(compile.code, compile.output).toBe(0);
      const { code, output } = await exec(process.execPath, ["app.ts"], app);
      expect(output).toContain("typed call ok: pet 1 is Rex");
      expect(code, output).toBe(0);
    } finally {
      await rm(app, { recursive: true, force: true });
    }
  });
});
