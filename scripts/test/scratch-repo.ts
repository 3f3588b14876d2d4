import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { defaultConfigPath } from "../../specs/index.ts";

/** The fixture API the pipeline's tests run on: small, and not one of specs/, so no spec edit reruns them. */
export const fixtureApi = { name: "pets", id: "pets@v1", specFile: "specs/pets/openapi.yaml" } as const;
const fixtureSpecs = fileURLToPath(new URL("fixtures/specs", import.meta.url));

/**
 * A throw-away repo for the fixture API: its spec folder and a redocly.yaml with the
 * repository's rules but only that API, so a test can break the spec and run the real
 * scripts on it without touching the working tree.
 */
export async function scratchRepo(): Promise<{ dir: string; configPath: string }> {
  const dir = await mkdtemp(join(tmpdir(), `pipeline-${fixtureApi.name}-`));
  const config = parse(await readFile(defaultConfigPath, "utf8"));
  config.apis = {
    [fixtureApi.id]: {
      root: fixtureApi.specFile,
      "x-openapi-ts": { output: `generated/${fixtureApi.name}.ts` },
      "x-commerce-api": { title: "Pets", package: "@fixtures/pets", mockPort: 4980 },
    },
  };
  const configPath = join(dir, "redocly.yaml");
  await writeFile(configPath, stringify(config));
  // The client package the generated types belong to, as the docs' Changes page looks it up.
  await writeFile(join(dir, "package.json"), `${JSON.stringify({ name: "@fixtures/pets", private: true })}\n`);
  await cp(fixtureSpecs, join(dir, "specs"), { recursive: true });
  return { dir, configPath };
}
