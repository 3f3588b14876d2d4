/**
 * `pnpm new-api <name> --from <file|url>`: imports a vendor's OpenAPI spec as a new API of the
 * list. It checks the spec (Redocly's structural rules), bundles it to one document and splits
 * that into `specs/<name>/` (openapi.yaml, paths/, components/: `redocly split`), adds the
 * API's entry to redocly.yaml, makes the spec folder a workspace package, records what the
 * vendor's spec does not meet of the lint rules as its lint baseline, bundles it, writes its
 * client package (writeClientPackage), records what the contract suite finds wrong in the
 * vendor's document as its contract baseline, writes a changeset for it, and adds it where a
 * README lists every API. Any refusal or failure puts back every file it wrote or changed.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createConfig, getLineColLocation, lint, bundle as redoclyBundle } from "@redocly/openapi-core";
import { isMap, isScalar, parseDocument } from "yaml";
import { type ApiDefinition, credentialVariables, getApi, listApis, type OpenApiDocument } from "../../specs/index.ts";
import { CLIENT_CONSUMERS, writeClientPackage } from "./client-package.ts";
import { generatedFiles } from "./codegen.ts";
import { writeFileAtomic } from "./fs.ts";
import { bundleApi, formatProblem, lintApi, recordLintBaseline } from "./spec-tasks.ts";

const run = promisify(execFile);
const redocly = fileURLToPath(new URL("../node_modules/.bin/redocly", import.meta.url));
const biome = fileURLToPath(new URL("../../node_modules/.bin/biome", import.meta.url));
// This checkout, whose tools run (the API list new-api writes to may be a scratch copy's).
const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));
const turboScript = join(repositoryRoot, "scripts", "turbo.ts");
const contractRecorder = fileURLToPath(
  new URL("../../packages/contract-tests/src/record-baseline.ts", import.meta.url),
);
// Without NODE_ENV: under NODE_ENV=test (vitest sets it) `redocly split` prints the files instead of writing them.
const { NODE_ENV: _testMode, ...environment } = process.env;
const quiet = { ...environment, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" };

export interface NewApiOptions {
  /** The API's short name: kebab-case, the folder under specs/ and packages/. */
  name: string;
  /** The spec: a YAML or JSON file (its relative $refs are followed), or an http(s) URL. */
  from: string;
  /** The redocly.yaml to add the API to; its folder is the repository's root. */
  configPath: string;
  /** What a relative `from` is relative to (pnpm runs scripts in the root; INIT_CWD is where it was called). */
  cwd?: string;
  /** The date recorded as `imported.on`. */
  today?: Date;
  /**
   * Whether to record the contract baseline (default true): a run of the API's contract suite.
   * Tests of the other steps turn it off, as they do not look at it.
   */
  contractBaseline?: boolean;
}

export interface NewApiResult {
  api: ApiDefinition;
  /** Files and folders written, relative to the root. */
  created: string[];
  /** Files changed, relative to the root. */
  changed: string[];
  /** How many lint problems of the vendor's spec its lint baseline lists. */
  baselined: number;
  /** What the contract baseline recorder printed: each case of the vendor's document that fails, and why. */
  contractBaseline?: string;
}

/** Files and folders as they were before, put back by `rollback()`. */
class Changes {
  private readonly files = new Map<string, string | undefined>();
  private readonly dirs: string[] = [];

  /** Remembers `path` as it is now (or that it does not exist), before it is written. */
  async before(path: string): Promise<void> {
    if (this.files.has(path)) return;
    this.files.set(path, await readFile(path, "utf8").catch(() => undefined));
  }

  /** A folder that did not exist and is about to be created. */
  newDir(path: string): void {
    this.dirs.push(path);
  }

  created(root: string): string[] {
    const files = [...this.files].filter(([, before]) => before === undefined).map(([path]) => path);
    return [...this.dirs.map((dir) => `${relative(root, dir)}/`), ...files.map((path) => relative(root, path))];
  }

  changed(root: string): string[] {
    return [...this.files].filter(([, before]) => before !== undefined).map(([path]) => relative(root, path));
  }

  async rollback(): Promise<void> {
    for (const dir of this.dirs) await rm(dir, { recursive: true, force: true });
    for (const [path, before] of this.files) {
      if (before === undefined) await rm(path, { force: true });
      else await writeFile(path, before);
    }
  }
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** The spec as Redocly should load it: an absolute path or the URL; refused if it cannot be read. */
async function locateSource(from: string, cwd: string): Promise<string> {
  if (/^https?:\/\//i.test(from)) {
    // Fetched here first for a clear refusal; Redocly fetches it again with its relative $refs.
    const response = await fetch(from, { signal: AbortSignal.timeout(30_000) }).catch((error: Error) => {
      const cause = (error.cause as Error | undefined)?.message;
      throw new Error(`Cannot fetch ${from}: ${cause ?? error.message}`);
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`Cannot fetch ${from}: HTTP ${response.status} ${response.statusText}`);
    return from;
  }
  const path = resolve(cwd, from);
  await readFile(path).catch((error: Error) => {
    throw new Error(`Cannot read ${from}: ${error.message}`);
  });
  return path;
}

/** Where the spec came from, as the entry records it: a URL, a path in the repository, or (outside it) the file's name. */
function provenance(source: string, root: string): string {
  if (!isAbsolute(source)) return source;
  const inRepo = relative(root, source);
  return inRepo.startsWith("..") ? (source.split("/").at(-1) ?? source) : inRepo;
}

/**
 * The spec as one document, after Redocly's structural rules (`struct`, `no-unresolved-refs`)
 * pass on it; refused otherwise, with each problem at its file:line:column.
 */
async function loadValidSpec(source: string, from: string, cwd: string): Promise<Record<string, unknown>> {
  const config = await createConfig({ rules: { struct: "error", "no-unresolved-refs": "error" } });
  const where = (ref: string) => (/^https?:/i.test(ref) ? ref : relative(cwd, ref) || ref);
  // Redocly throws, rather than reports, on a file it cannot parse (with its line:column) or
  // one that is no OpenAPI document at all.
  const problems = await lint({ ref: source, config }).catch((error: Error) => {
    throw new Error(`${from} is not a valid OpenAPI document: ${error.message}`);
  });
  const errors = problems.filter((problem) => problem.severity === "error");
  if (errors.length > 0) {
    const lines = errors.map((problem) => {
      const [location] = problem.location;
      const position = location ? getLineColLocation(location).start : { line: 1, col: 1 };
      const file = location ? where(location.source.absoluteRef) : where(source);
      return `${file}:${position.line}:${position.col} ${problem.ruleId}: ${problem.message}`;
    });
    throw new Error(`${from} is not a valid OpenAPI document:\n${lines.join("\n")}`);
  }
  const { bundle } = await redoclyBundle({ ref: source, config });
  const document = bundle.parsed as Record<string, unknown> | null;
  if (typeof document?.openapi !== "string" || !/^3\.[01]\./.test(document.openapi)) {
    const version = document?.swagger ? `Swagger ${document.swagger}` : `openapi: ${String(document?.openapi)}`;
    throw new Error(`${from} is ${version}; the pipeline takes OpenAPI 3.0 and 3.1`);
  }
  return document;
}

/** The kebab-case name is free: not in the list, and no specs/<name> or packages/<name>. */
async function checkName(name: string, configPath: string, root: string): Promise<void> {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
    throw new Error(`The name "${name}" must be kebab-case (lower-case letters and digits, words joined by "-")`);
  }
  if (listApis(configPath).some((api) => api.name === name)) {
    throw new Error(`An API named "${name}" is already in ${relative(root, configPath)}`);
  }
  for (const dir of [join(root, "specs", name), join(root, "packages", name)]) {
    if (await exists(dir)) throw new Error(`${relative(root, dir)} already exists`);
  }
}

/** The spec folder's package.json, as every API's (specs/<api>/package.json). */
function specPackageJson(api: ApiDefinition, description: string): string {
  const manifest = {
    name: `${api.packageName}-spec`,
    version: "0.0.0",
    private: true,
    description,
    type: "module",
    scripts: {
      lint: "node ../../scripts/lint.ts",
      bundle: "node ../../scripts/bundle.ts",
      "docs:page": "node ../../packages/docs/src/page.ts",
      "test:contract": "node ../../packages/contract-tests/src/api-suite.ts",
      "test:docs": "node ../../packages/docs/test/support/api-tests.ts",
      "contract:live": "node ../../packages/contract-tests/src/api-suite.ts --live",
    },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * The spec folder's turbo.json, as every API's: its tests wait for its own client package's
 * build, and its live contract run passes through only its own credential variables
 * (credentialVariables, from the bundled spec `document`).
 */
export function specTurboJson(api: ApiDefinition, document: OpenApiDocument): string {
  const variables = credentialVariables(api.name, document, api.specFile, api.credentialOptions);
  const passThrough = ["$TURBO_EXTENDS$", ...variables].map((name) => JSON.stringify(name)).join(", ");
  return `{
  "$schema": "https://turborepo.com/schema.json",
  "extends": ["//"],
  "tasks": {
    // \`pnpm test\` here is this API's contract cases and its docs tests, each cached on its own.
    "test": { "dependsOn": ["test:contract", "test:docs"] },
    "test:contract": {
      // This API's contract cases (packages/contract-tests, \`suite\` project): its bundle, served
      // by the mock (from source), called through its own client package. No other API's task
      // is an input.
      "dependsOn": ["bundle", "${api.packageName}#build"],
      "inputs": [
        // This API's contract baseline, if it has one (an imported vendor spec's known faults).
        "contract-baseline.yaml",
        "$TURBO_ROOT$/packages/contract-tests/src/**",
        "$TURBO_ROOT$/packages/contract-tests/test/**",
        "$TURBO_ROOT$/packages/contract-tests/vitest.config.ts",
        "$TURBO_ROOT$/packages/contract-tests/package.json",
        "$TURBO_ROOT$/packages/mocks/src/**",
        "$TURBO_ROOT$/specs/*.ts",
        "$TURBO_ROOT$/scripts/generate.ts",
        "$TURBO_ROOT$/scripts/lib/codegen.ts"
      ],
      "outputs": ["reports/**", "!reports/docs/**"]
    },
    "contract:live": {
      // The same cases against a real host (CONTRACT_TARGET): never cached. Only this API's
      // credential variables pass through, beside the root's CONTRACT_* (test/target.test.ts in
      // contract-tests checks they are the ones the suite reads).
      "dependsOn": ["bundle", "${api.packageName}#build"],
      "cache": false,
      "passThroughEnv": [${passThrough}]
    },
    "test:docs": {
      // This API's docs pages (docs:page) in Chromium, and its code samples, which must
      // compile against its own client package (packages/docs, \`api\` project).
      "dependsOn": ["docs:page", "${api.packageName}#build"],
      "inputs": [
        "$TURBO_ROOT$/packages/docs/src/**",
        "$TURBO_ROOT$/packages/docs/test/**",
        "$TURBO_ROOT$/packages/docs/vitest.config.ts",
        "$TURBO_ROOT$/packages/docs/tsconfig.json",
        "$TURBO_ROOT$/packages/docs/package.json",
        "$TURBO_ROOT$/specs/index.ts"
      ],
      "outputs": ["reports/docs/**"],
      "passThroughEnv": ["CHROMIUM_PATH"]
    }
  }
}
`;
}

/**
 * The lines of a README that list every API, one per API, found by the last API's line: in a
 * `text` block its mock's banner line (`<name or title> mock  <url>`), or a table row naming it
 * with its mock's URL. Each gets a copy for the new API below it, with the last API's title,
 * name, URL and port variable replaced (the table is realigned by Biome afterwards).
 */
function listInReadme(readme: string, last: ApiDefinition, api: ApiDefinition): string {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const url = (entry: ApiDefinition) => `http://127.0.0.1:${entry.mockPort}`;
  const swap = (line: string) =>
    line
      .replaceAll(url(last), url(api))
      .replaceAll(last.mockPortEnv, api.mockPortEnv)
      .replaceAll(last.title, api.title)
      .replaceAll(`\`${last.name}\``, `\`${api.name}\``)
      .replace(new RegExp(`^${literal(last.name)} mock  `), `${api.name} mock  `);
  const lines = readme.split("\n");
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of lines) {
    out.push(line);
    const opening = /^(\s*)```(\w*)/.exec(line);
    if (opening) fence = fence === undefined ? (opening[2] ?? "") : undefined;
    const trimmed = line.trim();
    const indent = line.slice(0, line.length - line.trimStart().length);
    if (
      fence === "text" &&
      new RegExp(`^(${literal(last.name)}|${literal(last.title)}) mock  ${literal(url(last))}$`).test(trimmed)
    ) {
      out.push(`${indent}${swap(trimmed)}`);
    } else if (fence === undefined && trimmed.startsWith("|") && line.includes(url(last)) && line.includes(last.name)) {
      out.push(swap(line));
    }
  }
  return out.join("\n");
}

/** The READMEs that may list every API: the root's and each package's. */
async function readmes(root: string): Promise<string[]> {
  const packages = await readdir(join(root, "packages")).catch(() => [] as string[]);
  const candidates = [
    join(root, "README.md"),
    ...packages.sort().map((dir) => join(root, "packages", dir, "README.md")),
  ];
  const found: string[] = [];
  for (const path of candidates) if (await exists(path)) found.push(path);
  return found;
}

/** Adds `<name>@v1` to the config's `apis:`, after the others, keeping the file's comments and layout. */
async function addListEntry(
  configPath: string,
  name: string,
  title: string,
  imported: { from: string; on: string },
): Promise<void> {
  const text = await readFile(configPath, "utf8");
  const document = parseDocument(text);
  const apis = document.get("apis");
  if (!isMap(apis)) throw new Error(`${configPath}: apis: is not a map`);
  const highest = Math.max(...listApis(configPath).map((api) => api.mockPort));
  document.setIn(
    ["apis", `${name}@v1`],
    document.createNode({
      root: `specs/${name}/openapi.yaml`,
      "x-openapi-ts": { output: `packages/${name}/src/generated/openapi.ts` },
      "x-commerce-api": {
        title,
        package: `@commerce-api/${name}`,
        mockPort: highest + 1,
        imported,
      },
    }),
  );
  // Quoted, so a YAML 1.1 reader takes the date as the string it is, as `yaml` (1.2) does.
  const on = document.getIn(["apis", `${name}@v1`, "x-commerce-api", "imported", "on"], true);
  if (isScalar(on)) on.type = "QUOTE_DOUBLE";
  await writeFileAtomic(configPath, document.toString());
}

/** Adds the spec package to the API list package's devDependencies (specs/package.json), sorted. */
async function addToListPackage(root: string, specPackage: string): Promise<void> {
  const path = join(root, "specs", "package.json");
  const manifest = JSON.parse(await readFile(path, "utf8")) as { devDependencies?: Record<string, string> };
  const devDependencies = { ...manifest.devDependencies, [specPackage]: "workspace:*" };
  manifest.devDependencies = Object.fromEntries(Object.entries(devDependencies).sort(([a], [b]) => a.localeCompare(b)));
  await writeFileAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Runs the contract baseline recorder (packages/contract-tests/src/record-baseline.ts) for
 * `api`, which writes specs/<name>/contract-baseline.yaml if a case fails; what it printed.
 */
async function recordContractBaseline(api: ApiDefinition): Promise<string> {
  // The suite imports the runtime's build (its package exports dist/), which a fresh clone has
  // not made yet. Only then is it built here: inside `pnpm test` the task graph has built it,
  // and a second turbo run beside it could rebuild files that other tasks are reading.
  if (!(await exists(join(repositoryRoot, "packages", "runtime", "dist", "index.js")))) {
    await run(
      process.execPath,
      [turboScript, "run", "build", "--filter=@commerce-api/runtime", "--output-logs=errors-only"],
      {
        cwd: repositoryRoot,
        env: {
          ...environment,
          PATH: `${join(repositoryRoot, "node_modules", ".bin")}${delimiter}${environment.PATH ?? ""}`,
        },
      },
    ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`building @commerce-api/runtime failed:\n${error.stdout ?? ""}${error.stderr || error.message}`);
    });
  }
  const recorded = await run(process.execPath, [contractRecorder, "--config", api.configPath, api.name], {
    cwd: dirname(api.configPath),
    env: environment,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`recording the contract baseline failed:\n${error.stderr || error.stdout || error.message}`);
  });
  return recorded.stdout.trim();
}

/** Imports the spec `from` as the API `name`; see the module comment. Nothing is left behind on failure. */
export async function newApi(options: NewApiOptions): Promise<NewApiResult> {
  const { name, from } = options;
  const configPath = resolve(options.configPath);
  const root = dirname(configPath);
  const cwd = options.cwd ?? process.cwd();
  await checkName(name, configPath, root);
  const source = await locateSource(from, cwd);
  const document = await loadValidSpec(source, from, cwd);
  const title = String((document.info as { title?: unknown }).title);
  const imported = {
    from: provenance(source, root),
    on: (options.today ?? new Date()).toISOString().slice(0, 10),
  };

  const changes = new Changes();
  const specDir = join(root, "specs", name);
  const work = await mkdtemp(join(tmpdir(), `new-api-${name}-`));
  try {
    // Split from the bundled document, so an already-split spec is laid out anew, the house way.
    // JSON is YAML: the .yaml name makes split write YAML files and an openapi.yaml entry.
    const bundled = join(work, "openapi.yaml");
    await writeFile(bundled, JSON.stringify(document));
    await run(redocly, ["split", bundled, "--outDir", join(work, "split")], { env: quiet }).catch(
      (error: { stderr?: string; message: string }) => {
        throw new Error(`redocly split ${from} failed:\n${error.stderr || error.message}`);
      },
    );
    changes.newDir(specDir);
    await cp(join(work, "split"), specDir, { recursive: true });

    await changes.before(configPath);
    await addListEntry(configPath, name, title, imported);
    const api = getApi(name, configPath);
    const specPackage = `${api.packageName}-spec`;

    const description = `The ${api.title} OpenAPI spec, imported by \`pnpm new-api\` from ${imported.from}: linted (against its lint baseline, lint-baseline.yaml), and bundled into dist/${name}.json. Its contract cases, docs pages and docs tests run here (test: test:contract and test:docs). A package of its own so its tasks are cached apart from other APIs'.`;
    await writeFileAtomic(join(specDir, "package.json"), specPackageJson(api, description));
    await writeFileAtomic(join(specDir, "turbo.json"), specTurboJson(api, document as OpenApiDocument));
    await changes.before(join(root, "specs", "package.json"));
    await addToListPackage(root, specPackage);

    const baselined = await recordLintBaseline(api);
    const { problems } = await lintApi(api);
    const errors = problems.filter((problem) => problem.severity === "error");
    if (errors.length > 0) {
      throw new Error(`${api.id} still fails lint with its baseline:\n${errors.map(formatProblem).join("\n")}`);
    }
    await bundleApi(api);

    // writeClientPackage writes packages/<name>/ and updates the consumers' manifests.
    for (const consumer of CLIENT_CONSUMERS) await changes.before(join(root, consumer, "package.json"));
    changes.newDir(join(root, "packages", name));
    await writeClientPackage(api);
    // The contract suite compiles its typed cases against the generated types.
    for (const [path, content] of await generatedFiles(api)) await writeFileAtomic(path, content);
    const contractBaseline = options.contractBaseline === false ? undefined : await recordContractBaseline(api);

    const changeset = join(root, ".changeset", `${name}-client.md`);
    await changes.before(changeset);
    await writeFileAtomic(
      changeset,
      `---\n"${api.packageName}": major\n---\n\nNew client for the ${/\bAPI$/.test(api.title) ? api.title : `${api.title} API`} (\`${api.factoryName}\`), generated from its spec imported from ${imported.from}. Its first release is 1.0.0.\n`,
    );

    const last = listApis(configPath).at(-2) as ApiDefinition;
    for (const readme of await readmes(root)) {
      const text = await readFile(readme, "utf8");
      const listed = listInReadme(text, last, api);
      if (listed === text) continue;
      await changes.before(readme);
      await writeFileAtomic(readme, listed);
    }

    // In the repository's format (biome.json), so `pnpm check:code` passes on what was written:
    // a README table with a longer row is realigned, for one.
    const written = [...changes.created(root), ...changes.changed(root)];
    await run(biome, ["format", "--write", "--files-ignore-unknown=true", "--no-errors-on-unmatched", ...written], {
      cwd: root,
    }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(
        `biome format failed on the files written:\n${error.stdout ?? ""}${error.stderr || error.message}`,
      );
    });

    return { api, created: changes.created(root), changed: changes.changed(root), baselined, contractBaseline };
  } catch (error) {
    await changes.rollback();
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
