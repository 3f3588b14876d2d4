/**
 * `pnpm new-api` (scripts/lib/new-api.ts) on a scratch copy of the repository's list, READMEs
 * and manifests, importing a real vendor spec (fixtures/vendor/museum-openapi.yaml, Redocly's
 * MIT-licensed Museum API): what it writes, that the result lints, bundles, generates and
 * builds, that a rerun writes the same bytes, and that a refusal or failure leaves nothing
 * behind. Then the lint baseline of an imported API: reported, only shrinking, only for
 * imported APIs.
 */
import { execFile } from "node:child_process";
import { once } from "node:events";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { parse, parseDocument, stringify } from "yaml";
import { getApi, listApis, type OpenApiDocument, repoRoot } from "../../specs/index.ts";
import { CLIENT_CONSUMERS } from "../lib/client-package.ts";
import { newApi, specTurboJson } from "../lib/new-api.ts";
import { bundleInMemory } from "../lib/spec-tasks.ts";

const run = promisify(execFile);
const scriptsDir = fileURLToPath(new URL("..", import.meta.url));
const museum = fileURLToPath(new URL("fixtures/vendor/museum-openapi.yaml", import.meta.url));
const today = new Date("2026-01-02T12:00:00Z");

/** What new-api reads and changes of the repository: the list, the READMEs, the manifests that list packages; and the format it writes in. */
const COPIED = [
  "redocly.yaml",
  "biome.json",
  ".gitignore",
  "README.md",
  "tsconfig.base.json",
  "specs/package.json",
  "packages/mocks/README.md",
  ".changeset/config.json",
  ...CLIENT_CONSUMERS.map((dir) => `${dir}/package.json`),
];

const scratches: string[] = [];
afterAll(() => Promise.all(scratches.map((dir) => rm(dir, { recursive: true, force: true }))));

/**
 * A copy of what new-api touches, its list holding the hand-written APIs only: an API this
 * repository has imported (the Museum spec, say) is not in the way of importing the fixture.
 */
async function scratchRepo(): Promise<{ dir: string; configPath: string }> {
  const dir = await mkdtemp(join(tmpdir(), "new-api-"));
  scratches.push(dir);
  for (const file of COPIED) await cp(join(repoRoot, file), join(dir, file));
  const configPath = join(dir, "redocly.yaml");
  const config = parseDocument(await readFile(configPath, "utf8"));
  for (const api of listApis().filter((entry) => entry.imported)) config.deleteIn(["apis", api.id]);
  await writeFile(configPath, config.toString());
  return { dir, configPath };
}

/** Every file under `dir` with its content, by relative path. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files = await readdir(dir, { recursive: true, withFileTypes: true });
  const entries = await Promise.all(
    files
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const path = join(entry.parentPath, entry.name);
        return [relative(dir, path), await readFile(path, "utf8")] as const;
      }),
  );
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The fixture imported into a fresh copy, once for the tests that read it (an import records
 * a contract baseline, a suite run of its own): the copy, its list before, new-api's result,
 * and every file of the copy as new-api left it, before a test builds in it.
 */
let imported:
  | Promise<{
      dir: string;
      configPath: string;
      configBefore: string;
      result: Awaited<ReturnType<typeof newApi>>;
      written: Record<string, string>;
    }>
  | undefined;
function museumImport() {
  imported ??= (async () => {
    const { dir, configPath } = await scratchRepo();
    const configBefore = await readFile(configPath, "utf8");
    const result = await newApi({ name: "museum", from: museum, configPath, today });
    return { dir, configPath, configBefore, result, written: await snapshot(dir) };
  })();
  return imported;
}

const failure = (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ""}${error.stderr ?? ""}`;

/** `node scripts/lint.ts` on the scratch list: its output, and whether it passed. */
async function lintScratch(configPath: string, name: string): Promise<{ passed: boolean; output: string }> {
  return run(process.execPath, [join(scriptsDir, "lint.ts"), "--config", configPath, name]).then(
    ({ stdout, stderr }) => ({ passed: true, output: `${stdout}${stderr}` }),
    (error) => ({ passed: false, output: failure(error) }),
  );
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A loopback server for the files under `dir` (404 for anything else); its base URL. */
async function serve(dir: string): Promise<string> {
  const server = createServer(async (request, response) => {
    const file = join(dir, decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname));
    const body = await readFile(file).catch(() => undefined);
    if (!body) return response.writeHead(404).end("not here");
    response.writeHead(200, { "content-type": extname(file) === ".json" ? "application/json" : "application/yaml" });
    response.end(body);
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe("pnpm new-api", () => {
  it("gives a new API the spec package task graph every API in the list has", async () => {
    for (const api of listApis()) {
      const turbo = await readFile(join(dirname(api.specPath), "turbo.json"), "utf8");
      const document = (await bundleInMemory(api)) as OpenApiDocument;
      expect(turbo, `${relative(repoRoot, dirname(api.specPath))}/turbo.json`).toBe(specTurboJson(api, document));
      const { scripts } = JSON.parse(await readFile(join(dirname(api.specPath), "package.json"), "utf8"));
      expect(Object.keys(scripts)).toContain("contract:live");
    }
  });

  it("imports the Museum spec: its spec folder, list entry, spec package, client package, changeset and README lines", async () => {
    const { dir, configPath, configBefore, result } = await museumImport();
    const highestPort = Math.max(
      ...listApis(configPath)
        .filter((api) => api.name !== "museum")
        .map((api) => api.mockPort),
    );

    // Split the house way: an entry file that $refs paths/ and components/.
    const specFiles = Object.keys(await snapshot(join(dir, "specs/museum")));
    expect(specFiles).toContain("openapi.yaml");
    expect(specFiles).toContain("paths/museum-hours.yaml");
    expect(specFiles).toContain("components/schemas/SpecialEvent.yaml");
    expect(await readFile(join(dir, "specs/museum/openapi.yaml"), "utf8")).toContain(
      "  /museum-hours:\n    $ref: paths/museum-hours.yaml\n",
    );
    // The Museum spec meets every house rule, so it needs no lint baseline.
    expect(result.baselined).toBe(0);
    expect(specFiles).not.toContain("lint-baseline.yaml");
    // Its contract suite ran on the new mock. Museum's event ticket response example has an
    // `eventName` its schema does not declare, which the client's types refuse: recorded.
    expect(result.contractBaseline).toMatch(
      /^museum: recorded 1 baselined case\(s\) in specs\/museum\/contract-baseline\.yaml:\n/,
    );
    expect(parse(await readFile(join(dir, "specs/museum/contract-baseline.yaml"), "utf8"))).toEqual([
      {
        case: "client types: the requests sent to museum and the responses read from it compile against its generated types",
        reason: expect.stringMatching(/^Error: museum\.mts\(\d+,\d+\): error TS2353: .*'"eventName"' does not exist/),
      },
    ]);

    // One entry added after the others, every comment and other line of redocly.yaml kept.
    const configAfter = await readFile(configPath, "utf8");
    const entry = Object.keys(parse(configAfter).apis).at(-1);
    expect(entry).toBe("museum@v1");
    const entryText = /^ {2}museum@v1:\n( {4}.*\n)+/m.exec(configAfter)?.[0] ?? "";
    expect(entryText).toContain('      imported:\n        from: museum-openapi.yaml\n        on: "2026-01-02"\n');
    expect(configAfter.replace(entryText, "")).toBe(configBefore);
    const api = getApi("museum", configPath);
    expect(api).toMatchObject({
      title: "Redocly Museum API",
      packageName: "@commerce-api/museum",
      factoryName: "createMuseumClient",
      mockPort: highestPort + 1,
      imported: { from: "museum-openapi.yaml", on: "2026-01-02" },
      typesPath: join(dir, "packages/museum/src/generated/openapi.ts"),
    });

    // The spec folder is a workspace package like every API's, and the list package depends on it.
    const specManifest = JSON.parse(await readFile(join(dir, "specs/museum/package.json"), "utf8"));
    expect(specManifest.name).toBe("@commerce-api/museum-spec");
    expect(specManifest.scripts).toEqual(
      JSON.parse(await readFile(join(repoRoot, "specs/directscale/package.json"), "utf8")).scripts,
    );
    expect(await readFile(join(dir, "specs/museum/turbo.json"), "utf8")).toContain(
      '"dependsOn": ["bundle", "@commerce-api/museum#build"]',
    );
    const listManifest = JSON.parse(await readFile(join(dir, "specs/package.json"), "utf8"));
    expect(listManifest.devDependencies).toHaveProperty("@commerce-api/museum-spec", "workspace:*");

    // The client package, registered with the packages that call every client.
    expect(await readFile(join(dir, "packages/museum/package.json"), "utf8")).toContain('"@commerce-api/museum"');
    for (const consumer of CLIENT_CONSUMERS) {
      const manifest = JSON.parse(await readFile(join(dir, consumer, "package.json"), "utf8"));
      expect(manifest.devDependencies, consumer).toHaveProperty("@commerce-api/museum", "workspace:*");
    }
    // Its first release is 1.0.0: a major changeset for a package at 0.0.0.
    expect(await readFile(join(dir, ".changeset/museum-client.md"), "utf8")).toMatch(
      /^---\n"@commerce-api\/museum": major\n---\n\nNew client for the Redocly Museum API \(`createMuseumClient`\)/,
    );
    // `pnpm start` prints a line per API, as the quick start quotes it; the mocks' README lists each API too.
    const readme = await readFile(join(dir, "README.md"), "utf8");
    // Each in its block: after the other APIs' lines, before the line that ends the block.
    const inBlock = (text: string, line: string, end: string) => {
      const at = text.indexOf(`${line}\n`);
      return at > 0 && at < text.indexOf(end, at);
    };
    expect(inBlock(readme, `   museum mock  http://127.0.0.1:${api.mockPort}`, "   docs site")).toBe(true);
    const mocksReadme = await readFile(join(dir, "packages/mocks/README.md"), "utf8");
    expect(inBlock(mocksReadme, `Redocly Museum API mock  http://127.0.0.1:${api.mockPort}`, "Press Ctrl-C")).toBe(
      true,
    );
    expect(mocksReadme).toMatch(
      new RegExp(
        `\\| Redocly Museum API +\\| \`museum\` +\\| \`http://127\\.0\\.0\\.1:${api.mockPort}\` \\| \`MUSEUM_MOCK_PORT\` +\\|`,
      ),
    );

    expect(result.created.sort()).toEqual([".changeset/museum-client.md", "packages/museum/", "specs/museum/"]);
    // All of it in the repository's format: `pnpm check:code` (Biome) passes on it.
    const biome = join(repoRoot, "node_modules/.bin/biome");
    const checked = await run(biome, ["check", ...result.created, ...result.changed], { cwd: dir }).then(
      () => "",
      failure,
    );
    expect(checked).toBe("");

    // What its tasks then run: lint (no baseline needed), bundle (done), generate, and the client builds and passes its test.
    const lint = await lintScratch(configPath, "museum");
    expect(lint.output).toContain("museum@v1 (specs/museum/openapi.yaml): valid\n");
    expect(JSON.parse(await readFile(api.bundlePath, "utf8")).info.title).toBe("Redocly Museum API");
    await run(process.execPath, [join(scriptsDir, "generate.ts"), "--config", configPath, "museum"]);
    const packageDir = join(dir, "packages/museum");
    expect(await readFile(join(packageDir, "src/generated/client.ts"), "utf8")).toContain(
      "export function createMuseumClient(",
    );
    await symlink(join(repoRoot, "packages/directscale/node_modules"), join(packageDir, "node_modules"));
    // The package's own compiler, as its build script runs it.
    const tsc = join(packageDir, "node_modules/typescript/bin/tsc");
    const compiled = await run(process.execPath, [tsc, "-p", join(packageDir, "tsconfig.build.json")]).then(
      () => "",
      failure,
    );
    expect(compiled).toBe("");
    expect(await readFile(join(packageDir, "dist/generated/client.js"), "utf8")).toContain(
      "function createMuseumClient(",
    );
    const tested = await run(join(packageDir, "node_modules/.bin/vitest"), ["run"], { cwd: packageDir }).then(
      () => "",
      failure,
    );
    expect(tested).toBe("");
  });

  it("writes the same bytes when run again into a fresh copy, and takes the spec as a URL or already split", async () => {
    const { written } = await museumImport();
    const again = await scratchRepo();
    await newApi({ name: "museum", from: museum, configPath: again.configPath, today });
    expect(await snapshot(again.dir)).toEqual(written);

    // The spec split above, served over HTTP: an entry file with relative $refs, fetched.
    const url = `${await serve(join(again.dir, "specs/museum"))}/openapi.yaml`;
    const third = await scratchRepo();
    // Only its spec folder is compared: its contract suite run is not needed.
    await newApi({ name: "museum", from: url, configPath: third.configPath, today, contractBaseline: false });
    const fromUrl = await snapshot(third.dir);
    const specFolder = (files: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(files).filter(([path]) => /^specs\/museum\/(openapi\.yaml|paths|components)/.test(path)),
      );
    expect(specFolder(fromUrl)).toEqual(specFolder(written));
    expect(getApi("museum", third.configPath).imported?.from).toBe(url);
  });

  describe("refuses, leaving the copy as it was,", () => {
    const refusals: [string, (dir: string, base: string) => Promise<{ name: string; from: string }>, RegExp][] = [
      ["a name that is not kebab-case", async () => ({ name: "Museum_API", from: museum }), /must be kebab-case/],
      [
        "a name already in the list",
        async () => ({ name: listApis().at(0)?.name as string, from: museum }),
        /An API named "\w+" is already in redocly\.yaml/,
      ],
      [
        "a name whose packages/ folder exists",
        async (dir) => {
          await mkdir(join(dir, "packages/museum"), { recursive: true });
          return { name: "museum", from: museum };
        },
        /packages\/museum already exists/,
      ],
      [
        "a file it cannot read, naming it",
        async (dir) => ({ name: "museum", from: join(dir, "nowhere.yaml") }),
        /Cannot read .*nowhere\.yaml: ENOENT/,
      ],
      [
        "a URL it cannot fetch, naming it and the status",
        async (_dir, base) => ({ name: "museum", from: `${base}/nowhere.yaml` }),
        /Cannot fetch http:\/\/127\.0\.0\.1:\d+\/nowhere\.yaml: HTTP 404/,
      ],
      [
        "a URL nothing answers at, naming it and the connection error",
        async () => {
          const closed = createServer().listen(0, "127.0.0.1");
          await once(closed, "listening");
          const { port } = closed.address() as { port: number };
          await new Promise((resolve) => closed.close(resolve));
          return { name: "museum", from: `http://127.0.0.1:${port}/openapi.yaml` };
        },
        /Cannot fetch http:\/\/127\.0\.0\.1:\d+\/openapi\.yaml: connect ECONNREFUSED/,
      ],
      [
        "an invalid spec, with each structural error at its file:line:column",
        async (dir) => {
          const spec = parseDocument(await readFile(museum, "utf8"));
          spec.deleteIn(["info", "version"]);
          spec.setIn(["paths", "/museum-hours", "get", "colour"], "red");
          await writeFile(join(dir, "broken.yaml"), spec.toString());
          return { name: "museum", from: join(dir, "broken.yaml") };
        },
        /broken\.yaml is not a valid OpenAPI document:\n.*broken\.yaml:2:1 struct: The field `version` must be present on this level\.\n.*broken\.yaml:\d+:7 struct: Property `colour` is not expected here\./,
      ],
      [
        "a file that is not YAML, at its line and column",
        async (dir) => {
          await writeFile(join(dir, "unparsable.yaml"), "openapi: 3.1.0\npaths:\n  /a: [\n");
          return { name: "museum", from: join(dir, "unparsable.yaml") };
        },
        /unparsable\.yaml is not a valid OpenAPI document: .* in ".*unparsable\.yaml" \(\d+:\d+\)/,
      ],
      [
        "a Swagger 2.0 document",
        async (dir) => {
          const swagger = { swagger: "2.0", info: { title: "Old", version: "1" }, paths: {} };
          await writeFile(join(dir, "swagger.json"), JSON.stringify(swagger));
          return { name: "museum", from: join(dir, "swagger.json") };
        },
        /swagger\.json is Swagger 2\.0; the pipeline takes OpenAPI 3\.0 and 3\.1/,
      ],
    ];
    for (const [what, arrange, message] of refusals) {
      it(what, async () => {
        const { dir, configPath } = await scratchRepo();
        const base = await serve(dir);
        const options = await arrange(dir, base);
        const before = await snapshot(dir);
        await expect(newApi({ ...options, configPath, today })).rejects.toThrow(message);
        expect(await snapshot(dir)).toEqual(before);
      });
    }
  });

  it("puts back every file it wrote or changed when a later step fails", async () => {
    const { dir, configPath } = await scratchRepo();
    // Valid, and it splits, lints (with a baseline) and bundles; but a client needs an operation to call.
    const spec = parse(await readFile(museum, "utf8"));
    spec.paths = {};
    spec.webhooks = {};
    await writeFile(join(dir, "no-operations.yaml"), stringify(spec));
    const before = await snapshot(dir);

    await expect(newApi({ name: "museum", from: join(dir, "no-operations.yaml"), configPath, today })).rejects.toThrow(
      "the spec has no operations to call",
    );
    expect(await snapshot(dir)).toEqual(before);
  });
});

describe("the lint baseline of an imported API", () => {
  /** The Museum spec less one operation's and one parameter's description, imported. */
  async function importedWithProblems() {
    const { dir, configPath } = await scratchRepo();
    const spec = parseDocument(await readFile(museum, "utf8"));
    spec.deleteIn(["paths", "/museum-hours", "get", "description"]);
    spec.deleteIn(["components", "parameters", "PaginationPage", "description"]);
    await writeFile(join(dir, "vendor.yaml"), spec.toString());
    // The contract baseline is not what these tests are about: not recorded, to save a suite run each.
    const result = await newApi({
      name: "museum",
      from: join(dir, "vendor.yaml"),
      configPath,
      today,
      contractBaseline: false,
    });
    return { dir, configPath, result, baseline: join(dir, "specs/museum/lint-baseline.yaml") };
  }

  it("records what the vendor's spec does not meet, per file, rule and place, and lint reports the count each run", async () => {
    const { configPath, result, baseline } = await importedWithProblems();
    expect(result.baselined).toBe(2);
    expect(parse(await readFile(baseline, "utf8"))).toEqual({
      "components/parameters/PaginationPage.yaml": { "parameter-description": ["#/"] },
      "paths/museum-hours.yaml": { "operation-description": ["#/get/description"] },
    });
    const lint = await lintScratch(configPath, "museum");
    expect(lint).toEqual({
      passed: true,
      output:
        "museum@v1 (specs/museum/openapi.yaml): valid; 2 problem(s) of the vendor's spec baselined in specs/museum/lint-baseline.yaml\n",
    });
  });

  it("fails on an entry whose problem was fixed, at the entry's line, until the entry is deleted", async () => {
    const { dir, configPath, baseline } = await importedWithProblems();
    const path = join(dir, "specs/museum/paths/museum-hours.yaml");
    await writeFile(
      path,
      (await readFile(path, "utf8")).replace("  operationId:", "  description: Hours.\n  operationId:"),
    );

    const stale = await lintScratch(configPath, "museum");
    expect(stale.passed).toBe(false);
    const text = await readFile(baseline, "utf8");
    const line = text.split("\n").indexOf('    - "#/get/description"') + 1;
    expect(line).toBeGreaterThan(0);
    expect(stale.output).toContain(
      `specs/museum/lint-baseline.yaml:${line}:7 error lint-baseline: stale entry: specs/museum/paths/museum-hours.yaml has no operation-description problem at #/get/description any more; delete the entry (the baseline only shrinks)`,
    );

    const shrunk = parseDocument(text);
    shrunk.delete("paths/museum-hours.yaml");
    await writeFile(baseline, shrunk.toString());
    const after = await lintScratch(configPath, "museum");
    expect(after.passed).toBe(true);
    expect(after.output).toContain("valid; 1 problem(s) of the vendor's spec baselined");
  });

  it("fails on a problem it does not list", async () => {
    const { dir, configPath } = await importedWithProblems();
    const path = join(dir, "specs/museum/paths/tickets.yaml");
    await writeFile(path, (await readFile(path, "utf8")).replace(/^ {2}description: .*\n/m, ""));

    const lint = await lintScratch(configPath, "museum");
    expect(lint.passed).toBe(false);
    expect(lint.output).toMatch(/specs\/museum\/paths\/tickets\.yaml:\d+:\d+ error operation-description: /);
    expect(lint.output).toContain("museum@v1 (specs/museum/openapi.yaml): 1 error(s); 2 problem(s)");
  });

  it("is an error for an API not imported by new-api, and is not applied to it", async () => {
    const { configPath } = await importedWithProblems();
    const config = parseDocument(await readFile(configPath, "utf8"));
    config.deleteIn(["apis", "museum@v1", "x-commerce-api", "imported"]);
    await writeFile(configPath, config.toString());

    const lint = await lintScratch(configPath, "museum");
    expect(lint.passed).toBe(false);
    expect(lint.output).toContain(
      "specs/museum/lint-baseline.yaml:1:1 error lint-baseline: only an API imported by `pnpm new-api` (x-commerce-api.imported in redocly.yaml) may have a lint baseline",
    );
    expect(lint.output).toMatch(/paths\/museum-hours\.yaml:\d+:\d+ error operation-description/);
    expect(lint.output).toContain("museum@v1 (specs/museum/openapi.yaml): 3 error(s)\n");
  });
});
