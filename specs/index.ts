/**
 * The one list of APIs, read from the `apis:` section of the root redocly.yaml.
 * Lint, bundle, type generation, mocks, docs and contract tests all iterate this list,
 * so a new API is a specs/<name>/ folder (a workspace package of its own, so its tasks are
 * cached apart from every other API's) plus one entry there.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { pascalCase } from "./clients.ts";

export * from "./clients.ts";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));
/** The root redocly.yaml. Tools take another (`--config`) so tests can run on scratch copies. */
export const defaultConfigPath = join(repoRoot, "redocly.yaml");

export interface ApiDefinition {
  /** Short name, the folder under specs/ (e.g. `directscale`). */
  name: string;
  /** The redocly.yaml key (e.g. `directscale@v1`). */
  id: string;
  /** Human title used in docs and logs. */
  title: string;
  /** Absolute path of the hand-written entry file. */
  specPath: string;
  /** The entry file as redocly.yaml names it, relative to the config (for messages). */
  specFile: string;
  /** The redocly.yaml this definition was read from. */
  configPath: string;
  /** Absolute path of the bundled single-file spec, `dist/<name>.json` in the entry file's folder (its package's `bundle` task writes it). */
  bundlePath: string;
  /** Absolute path of the generated TypeScript types. */
  typesPath: string;
  /** Absolute path of the generated client core (`create<Name>Client`), `client.ts` beside the types. */
  clientPath: string;
  /** npm name of the client package. */
  packageName: string;
  /**
   * The `<Name>` of the client's `create<Name>Client`, `<Name>Client` and `<Name>ClientOptions`:
   * `x-commerce-api.clientName` when given (`DirectScale`), else the PascalCase of the API's
   * name (`train` -> `Train`, `acme-pay` -> `AcmePay`).
   */
  clientName: string;
  /** `create<clientName>Client`: the client package's factory. */
  factoryName: string;
  /** `x-commerce-api.credentials`: security scheme name -> the client option that carries it, where the default rule (specs/clients.ts) is not wanted. */
  credentialOptions: Record<string, string>;
  /** Default port of the mock server. */
  mockPort: number;
  /** Environment variable that overrides `mockPort`. */
  mockPortEnv: string;
  /**
   * `x-commerce-api.imported`: where `pnpm new-api` imported a vendor's spec from, and when.
   * Only an imported API may have a lint baseline; a hand-written spec meets every rule.
   */
  imported?: { from: string; on: string };
  /** Absolute path of the API's lint baseline, `lint-baseline.yaml` beside its entry file (an imported API's, if it has one). */
  lintBaselinePath: string;
}

type RawEntry = {
  root?: unknown;
  "x-openapi-ts"?: { output?: unknown };
  "x-commerce-api"?: {
    title?: unknown;
    package?: unknown;
    mockPort?: unknown;
    clientName?: unknown;
    credentials?: unknown;
    imported?: unknown;
  };
};

function toDefinition(configPath: string, id: string, entry: RawEntry): ApiDefinition {
  const requireString = (value: unknown, where: string): string => {
    if (typeof value !== "string" || value === "") {
      throw new Error(`${configPath}: ${where} must be a non-empty string`);
    }
    return value;
  };
  // Every path in the config is relative to the config file, as Redocly reads it.
  const root = dirname(configPath);
  const specFile = requireString(entry.root, `apis.${id}.root`);
  const specPath = join(root, specFile);
  const name = id.split("@")[0] ?? id;
  if (!/^[a-z][a-z0-9-]*$/.test(name)) {
    throw new Error(`${configPath}: apis.${id}: the name before "@" must be lower-case kebab-case`);
  }
  const extra = entry["x-commerce-api"] ?? {};
  const typesPath = join(root, requireString(entry["x-openapi-ts"]?.output, `apis.${id}.x-openapi-ts.output`));
  const mockPort = extra.mockPort;
  if (!Number.isInteger(mockPort) || (mockPort as number) < 1 || (mockPort as number) > 65535) {
    throw new Error(`${configPath}: apis.${id}.x-commerce-api.mockPort must be an integer port`);
  }
  const clientName =
    extra.clientName === undefined
      ? pascalCase(name)
      : requireString(extra.clientName, `apis.${id}.x-commerce-api.clientName`);
  if (!/^[A-Z][A-Za-z0-9]*$/.test(clientName)) {
    throw new Error(`${configPath}: apis.${id}.x-commerce-api.clientName must be PascalCase (got "${clientName}")`);
  }
  const credentialOptions = extra.credentials ?? {};
  if (
    typeof credentialOptions !== "object" ||
    credentialOptions === null ||
    Object.values(credentialOptions).some((option) => typeof option !== "string" || !/^[a-z][A-Za-z0-9]*$/.test(option))
  ) {
    throw new Error(
      `${configPath}: apis.${id}.x-commerce-api.credentials must map scheme names to camelCase option names`,
    );
  }
  const imported = extra.imported as { from?: unknown; on?: unknown } | undefined;
  if (imported !== undefined) {
    requireString(imported?.from, `apis.${id}.x-commerce-api.imported.from`);
    requireString(imported?.on, `apis.${id}.x-commerce-api.imported.on`);
  }
  return {
    name,
    id,
    title: requireString(extra.title, `apis.${id}.x-commerce-api.title`),
    specPath,
    specFile,
    configPath,
    bundlePath: join(dirname(specPath), "dist", `${name}.json`),
    typesPath,
    clientPath: join(dirname(typesPath), "client.ts"),
    packageName: requireString(extra.package, `apis.${id}.x-commerce-api.package`),
    clientName,
    factoryName: `create${clientName}Client`,
    credentialOptions: credentialOptions as Record<string, string>,
    mockPort: mockPort as number,
    mockPortEnv: `${name.toUpperCase().replaceAll("-", "_")}_MOCK_PORT`,
    ...(imported && { imported: imported as { from: string; on: string } }),
    lintBaselinePath: join(dirname(specPath), "lint-baseline.yaml"),
  };
}

// Keyed on the file's text as well as its path: `pnpm new-api` adds an entry and reads the
// list again in the same process.
const cache = new Map<string, { text: string; apis: ApiDefinition[] }>();

/** Every API in the config's `apis:` section, in file order. */
export function listApis(configPath: string = defaultConfigPath): ApiDefinition[] {
  const path = resolve(configPath);
  const text = readFileSync(path, "utf8");
  const cached = cache.get(path);
  if (cached?.text === text) return cached.apis;
  const config = parse(text) as { apis?: Record<string, RawEntry> } | null;
  const entries = Object.entries(config?.apis ?? {});
  if (entries.length === 0) throw new Error(`${path}: no entries under apis:`);
  const apis = entries.map(([id, entry]) => toDefinition(path, id, entry));
  cache.set(path, { text, apis });
  return apis;
}

/** One API by short name; the error lists the known names. */
export function getApi(name: string, configPath: string = defaultConfigPath): ApiDefinition {
  const apis = listApis(configPath);
  const api = apis.find((candidate) => candidate.name === name);
  if (!api) {
    const known = apis.map((candidate) => candidate.name).join(", ");
    throw new Error(`Unknown API "${name}" (${configPath} lists: ${known})`);
  }
  return api;
}

/**
 * The folder of the API's client package, if it has one: the package.json nearest above its
 * generated types (`x-openapi-ts.output`) when that package is the one `x-commerce-api.package`
 * names. An API listed before anyone wrote its client has none.
 */
export function clientPackageDir(api: ApiDefinition): string | undefined {
  for (let dir = dirname(api.typesPath); dirname(dir) !== dir; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (!existsSync(manifest)) continue;
    const { name } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string };
    return name === api.packageName ? dir : undefined;
  }
  return undefined;
}

/** The APIs whose entry file lies in `dir` (a spec package's folder): what its tasks work on. */
export function apisInDirectory(dir: string, configPath: string = defaultConfigPath): ApiDefinition[] {
  return listApis(configPath).filter((api) => dirname(api.specPath) === resolve(dir));
}
