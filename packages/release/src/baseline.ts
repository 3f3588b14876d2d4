/**
 * Where each API's last released spec lives: `specs/<api>/released/`, beside the spec it
 * was released from, committed by `pnpm release` in the version commit. A clean clone finds
 * it without the network, and it moves with the API's folder.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { ApiDefinition } from "@commerce-api/specs";
import { writeFileAtomic } from "../../../scripts/lib/fs.ts";

export interface Baseline {
  /** The client package version the spec was released as. */
  version: string;
  /** The bundled spec as released. */
  spec: { [key: string]: unknown };
}

export const baselineDir = (api: ApiDefinition) => join(dirname(api.specPath), "released");
const specFile = (api: ApiDefinition) => join(baselineDir(api), "openapi.json");
const releaseFile = (api: ApiDefinition) => join(baselineDir(api), "release.json");

/** The API's last released spec, or undefined if it was never released. */
export async function readBaseline(api: ApiDefinition): Promise<Baseline | undefined> {
  if (!existsSync(specFile(api))) return undefined;
  const [spec, release] = await Promise.all([
    readFile(specFile(api), "utf8").then(JSON.parse),
    readFile(releaseFile(api), "utf8").then(JSON.parse) as Promise<{ version?: unknown }>,
  ]);
  if (typeof release.version !== "string") throw new Error(`${releaseFile(api)}: "version" must be a string`);
  return { version: release.version, spec };
}

/** Records the current bundle as released at `version` (byte-identical for the same inputs). */
export async function writeBaseline(api: ApiDefinition, version: string): Promise<void> {
  const bundle = await readFile(api.bundlePath, "utf8");
  await writeFileAtomic(specFile(api), `${JSON.stringify(JSON.parse(bundle), null, 2)}\n`);
  await writeFileAtomic(releaseFile(api), `${JSON.stringify({ package: api.packageName, version }, null, 2)}\n`);
}
