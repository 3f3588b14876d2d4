import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { defaultConfigPath, getApi } from "../../specs/index.ts";

/**
 * A throw-away copy of the repo's pipeline inputs for one API: its spec folder and a
 * redocly.yaml with the same rules but only that API, so a test can break the spec and
 * run the real scripts on it without touching the working tree.
 */
export async function scratchRepo(apiName: string): Promise<{ dir: string; configPath: string }> {
  const dir = await mkdtemp(join(tmpdir(), `pipeline-${apiName}-`));
  const api = getApi(apiName);
  const config = parse(await readFile(defaultConfigPath, "utf8"));
  config.apis = {
    [api.id]: {
      ...config.apis[api.id],
      "x-openapi-ts": { output: `generated/${apiName}.ts` },
    },
  };
  const configPath = join(dir, "redocly.yaml");
  await writeFile(configPath, stringify(config));
  await cp(join(api.specPath, ".."), join(dir, api.specFile, ".."), { recursive: true });
  return { dir, configPath };
}
