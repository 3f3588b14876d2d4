/**
 * Bundles every API in redocly.yaml into one self-contained JSON file
 * (specs/dist/<name>.json) that codegen, mocks, docs and tests read.
 * A spec that fails to bundle (e.g. a broken $ref) stops here with Redocly's message
 * naming the file and pointer, and the previous bundle stays untouched.
 *
 *   node scripts/bundle.ts [--config path/to/redocly.yaml]
 */
import { execFile } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { type ApiDefinition, defaultConfigPath, listApis } from "../specs/index.ts";
import { scratchPath, writeFileAtomic } from "./lib/fs.ts";

const run = promisify(execFile);
const redocly = fileURLToPath(new URL("node_modules/.bin/redocly", import.meta.url));

async function bundle(api: ApiDefinition): Promise<void> {
  const scratch = `${scratchPath(api.bundlePath)}.json`;
  try {
    await run(redocly, ["bundle", api.id, "--config", api.configPath, "--output", scratch]);
    // Round-trip through JSON.parse so the file is known to be complete and well-formed.
    const document = JSON.parse(await readFile(scratch, "utf8"));
    await writeFileAtomic(api.bundlePath, `${JSON.stringify(document, null, 2)}\n`);
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`Bundling ${api.id} (${api.specFile}) failed:\n${stderr || stdout || String(error)}`);
  } finally {
    await rm(scratch, { force: true });
  }
}

const { values } = parseArgs({ options: { config: { type: "string", default: defaultConfigPath } } });
const apis = listApis(values.config);
const results = await Promise.allSettled(apis.map(bundle));
const failures = results.flatMap((result) => (result.status === "rejected" ? [result.reason as Error] : []));
for (const failure of failures) console.error(failure.message);
if (failures.length > 0) process.exit(1);
for (const api of apis) console.log(`bundled ${api.id} -> ${relative(process.cwd(), api.bundlePath)}`);
