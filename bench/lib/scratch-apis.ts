/**
 * A scratch copy of the API list for running the real pipeline (`scripts/generate.ts
 * --config`) on other specs or into other files: a redocly.yaml in a temp directory whose
 * bundles and generated types live there too, so the working tree is never written.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { ApiDefinition } from "@commerce-api/specs";

export interface ScratchApi {
  api: ApiDefinition;
  /** The bundled spec to put in the scratch specs/<name>/dist/. */
  spec: unknown;
}

/** Writes `dir/redocly.yaml` and `dir/specs/<name>/dist/<name>.json`; returns the config path and each API's types path. */
export async function writeScratchApis(
  dir: string,
  entries: ScratchApi[],
): Promise<{ configPath: string; typesPaths: string[] }> {
  const apis: Record<string, unknown> = {};
  const typesPaths: string[] = [];
  for (const { api, spec } of entries) {
    const root = relative(join(api.configPath, ".."), api.specPath);
    // The bundle goes where the list puts it: dist/<name>.json beside the entry file.
    await mkdir(join(dir, root, "..", "dist"), { recursive: true });
    await writeFile(join(dir, root, "..", "dist", `${api.name}.json`), JSON.stringify(spec));
    // A folder per API: the client core is generated as client.ts beside the types.
    const output = join("generated", api.name, "openapi.ts");
    typesPaths.push(join(dir, output));
    apis[api.id] = {
      root,
      "x-openapi-ts": { output },
      "x-commerce-api": {
        title: api.title,
        package: api.packageName,
        mockPort: api.mockPort,
        clientName: api.clientName,
        credentials: api.credentialOptions,
      },
    };
  }
  const configPath = join(dir, "redocly.yaml");
  // JSON is YAML, and spares the bench a YAML dependency.
  await writeFile(configPath, JSON.stringify({ apis }, null, 2));
  return { configPath, typesPaths };
}
