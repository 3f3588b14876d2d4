/**
 * The one list of APIs, read from the `apis:` section of the root redocly.yaml.
 * Lint, bundle, type generation, mocks, docs and contract tests all iterate this list,
 * so a new API is a specs/<name>/ folder plus one entry there.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const configPath = join(repoRoot, "redocly.yaml");

export interface ApiDefinition {
  /** Short name, the folder under specs/ (e.g. `directscale`). */
  name: string;
  /** The redocly.yaml key (e.g. `directscale@v1`). */
  id: string;
  /** Human title used in docs and logs. */
  title: string;
  /** Absolute path of the hand-written entry file. */
  specPath: string;
  /** Absolute path of the bundled single-file spec (`pnpm bundle` writes it). */
  bundlePath: string;
  /** Absolute path of the generated TypeScript types. */
  typesPath: string;
  /** npm name of the client package. */
  packageName: string;
  /** Default port of the mock server. */
  mockPort: number;
  /** Environment variable that overrides `mockPort`. */
  mockPortEnv: string;
}

type RawEntry = {
  root?: unknown;
  "x-openapi-ts"?: { output?: unknown };
  "x-commerce-api"?: { title?: unknown; package?: unknown; mockPort?: unknown };
};

function requireString(value: unknown, where: string): string {
  if (typeof value !== "string" || value === "") {
    throw new Error(`${configPath}: ${where} must be a non-empty string`);
  }
  return value;
}

function toDefinition(id: string, entry: RawEntry): ApiDefinition {
  const name = id.split("@")[0] ?? id;
  if (!/^[a-z][a-z0-9-]*$/.test(name)) {
    throw new Error(`${configPath}: apis.${id}: the name before "@" must be lower-case kebab-case`);
  }
  const extra = entry["x-commerce-api"] ?? {};
  const mockPort = extra.mockPort;
  if (!Number.isInteger(mockPort) || (mockPort as number) < 1 || (mockPort as number) > 65535) {
    throw new Error(`${configPath}: apis.${id}.x-commerce-api.mockPort must be an integer port`);
  }
  return {
    name,
    id,
    title: requireString(extra.title, `apis.${id}.x-commerce-api.title`),
    specPath: join(repoRoot, requireString(entry.root, `apis.${id}.root`)),
    bundlePath: join(repoRoot, "specs", "dist", `${name}.json`),
    typesPath: join(repoRoot, requireString(entry["x-openapi-ts"]?.output, `apis.${id}.x-openapi-ts.output`)),
    packageName: requireString(extra.package, `apis.${id}.x-commerce-api.package`),
    mockPort: mockPort as number,
    mockPortEnv: `${name.toUpperCase().replaceAll("-", "_")}_MOCK_PORT`,
  };
}

let cached: ApiDefinition[] | undefined;

/** Every API in redocly.yaml, in file order. */
export function listApis(): ApiDefinition[] {
  if (!cached) {
    const config = parse(readFileSync(configPath, "utf8")) as { apis?: Record<string, RawEntry> };
    const entries = Object.entries(config.apis ?? {});
    if (entries.length === 0) throw new Error(`${configPath}: no entries under apis:`);
    cached = entries.map(([id, entry]) => toDefinition(id, entry));
  }
  return cached;
}

/** One API by short name; the error lists the known names. */
export function getApi(name: string): ApiDefinition {
  const api = listApis().find((candidate) => candidate.name === name);
  if (!api) {
    const known = listApis()
      .map((candidate) => candidate.name)
      .join(", ");
    throw new Error(`Unknown API "${name}" (redocly.yaml lists: ${known})`);
  }
  return api;
}
