import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { listApis } from "@commerce-api/specs";
import { describe, expect, it } from "vitest";
import { listApis as listMockApis } from "../src/index.ts";

const shipSpecs = fileURLToPath(new URL("../scripts/ship-specs.ts", import.meta.url));
const shippedDir = fileURLToPath(new URL("../dist/specs/", import.meta.url));

async function readFolder(dir: string): Promise<Map<string, Buffer>> {
  const files = (await readdir(dir)).sort();
  return new Map(await Promise.all(files.map(async (file) => [file, await readFile(join(dir, file))] as const)));
}

describe("the specs the package ships", () => {
  it("are the repository's bundles byte for byte, listed with the titles, ports and variables of redocly.yaml", async () => {
    const mockApis = await listMockApis();
    expect(mockApis).toEqual(
      listApis().map((api) => ({
        name: api.name,
        title: api.title,
        mockPort: api.mockPort,
        mockPortEnv: api.mockPortEnv,
        specPath: join(shippedDir, `${api.name}.json`),
      })),
    );
    for (const api of listApis()) {
      expect(await readFile(join(shippedDir, `${api.name}.json`))).toEqual(await readFile(api.bundlePath));
    }
  });

  it("are written identically by every build", async () => {
    // Into a scratch folder: the other test files are serving dist/specs/ meanwhile.
    const scratch = await mkdtemp(join(tmpdir(), "mocks-ship-specs-"));
    try {
      await promisify(execFile)(process.execPath, [shipSpecs, "--out", scratch]);
      expect(await readFolder(scratch)).toEqual(await readFolder(shippedDir));
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
