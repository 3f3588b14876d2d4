/**
 * The APIs this package can mock. The package ships them: `build` copies each bundled spec and a
 * manifest (`dist/specs/apis.json`) out of the repository's redocly.yaml, so an installed copy
 * needs nothing from the repository. Inside the repository a caller may instead pass a
 * `configPath` (a scratch redocly.yaml, as the mocks' and contract tests do); that list is read
 * by the repository's own reader, `@commerce-api/specs`, which only exists there.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** One API as the mocks need it. */
export interface MockApi {
  /** Short name, e.g. `voucherify`. */
  name: string;
  /** Human title for logs, e.g. `Voucherify`. */
  title: string;
  /** Default port of its mock. */
  mockPort: number;
  /** Environment variable that overrides `mockPort`, e.g. `VOUCHERIFY_MOCK_PORT`. */
  mockPortEnv: string;
  /** Absolute path of the bundled spec the mock serves. */
  specPath: string;
}

/** One entry of the shipped manifest; `spec` is the bundle's file name beside it. */
export interface ShippedApi extends Omit<MockApi, "specPath"> {
  spec: string;
}

// `../dist/specs` from this file is the same folder whether it runs as dist/apis.js (installed,
// or built in the repository) or as src/apis.ts (the package's own tests, which import src/).
export const shippedSpecsDir = fileURLToPath(new URL("../dist/specs/", import.meta.url));
export const MANIFEST_FILE = "apis.json";

/** The manifest entry for an API read from redocly.yaml (an `ApiDefinition`); `build` writes these. */
export function toShippedApi(api: Omit<ShippedApi, "spec">): ShippedApi {
  return {
    name: api.name,
    title: api.title,
    mockPort: api.mockPort,
    mockPortEnv: api.mockPortEnv,
    spec: `${api.name}.json`,
  };
}

let shipped: MockApi[] | undefined;

function readShippedApis(): MockApi[] {
  if (shipped) return shipped;
  const manifestPath = join(shippedSpecsDir, MANIFEST_FILE);
  let entries: ShippedApi[];
  try {
    entries = JSON.parse(readFileSync(manifestPath, "utf8")) as ShippedApi[];
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "is missing" : `cannot be read: ${error}`;
    throw new Error(
      `@commerce-api/mocks: ${manifestPath} ${reason} (in the repository, build the package: \`pnpm turbo run build --filter=@commerce-api/mocks\`)`,
    );
  }
  shipped = entries.map(({ spec, ...api }) => ({ ...api, specPath: join(shippedSpecsDir, spec) }));
  return shipped;
}

async function readConfigApis(configPath: string): Promise<MockApi[]> {
  let specs: typeof import("@commerce-api/specs");
  try {
    specs = await import("@commerce-api/specs");
  } catch {
    throw new Error(
      `configPath (${configPath}) reads a commerce-api repository's redocly.yaml and only works inside that repository; pass specPath to serve another spec`,
    );
  }
  return specs.listApis(configPath).map((api) => ({ ...toShippedApi(api), specPath: api.bundlePath }));
}

/** Every API, in the order of redocly.yaml: the shipped list, or the one in `configPath`. */
export async function listApis(configPath?: string): Promise<MockApi[]> {
  return configPath === undefined ? readShippedApis() : readConfigApis(configPath);
}

/** One API by short name; the error lists the known names. */
export async function getApi(name: string, configPath?: string): Promise<MockApi> {
  const apis = await listApis(configPath);
  const api = apis.find((candidate) => candidate.name === name);
  if (!api) {
    const source = configPath ?? "this package";
    throw new Error(`Unknown API "${name}" (${source} lists: ${apis.map((candidate) => candidate.name).join(", ")})`);
  }
  return api;
}
