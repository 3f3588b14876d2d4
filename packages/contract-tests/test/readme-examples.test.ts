/**
 * The first example of each client README runs as the README says: the code block is taken
 * from the README itself, saved in the package the README names, and run there with `node`
 * against the mock it calls. The mock listens on a free port (the README's port may be taken
 * by a running `pnpm start`), so only the port in the example's URL is changed.
 */
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startMock } from "@commerce-api/mocks";
import { clientPackageDir, listApis } from "@commerce-api/specs";
import { describe, expect, it } from "vitest";

const packagesDir = fileURLToPath(new URL("../..", import.meta.url));

/** The README's first TypeScript code block, if it has one. */
async function firstExample(dir: string): Promise<string | undefined> {
  const text = await readFile(join(packagesDir, dir, "README.md"), "utf8").catch(() => "");
  return /^```ts\n([\s\S]*?)^```/m.exec(text)?.[1];
}

/**
 * Every package README whose first example calls an API's mock, with the API and the client
 * package it runs in (the one the README says to save it in: the API's own client package).
 */
async function readmeExamples() {
  const dirs = (await readdir(packagesDir, { withFileTypes: true })).filter((entry) => entry.isDirectory());
  const examples = [];
  for (const { name: dir } of dirs) {
    const code = await firstExample(dir);
    const api = code && listApis().find(({ mockPort }) => code.includes(`http://127.0.0.1:${mockPort}`));
    if (!code || !api) continue;
    const clientDir = clientPackageDir(api);
    if (!clientDir)
      throw new Error(`packages/${dir}/README.md calls ${api.name}'s mock, but no package is ${api.packageName}`);
    examples.push({ readme: dir, code, api, runIn: relative(packagesDir, clientDir) });
  }
  return examples;
}

const examples = await readmeExamples();

describe("the client READMEs' first examples", () => {
  it("include every API's client package", () => {
    expect(examples.map(({ api }) => api.name)).toEqual(expect.arrayContaining(listApis().map(({ name }) => name)));
  });

  for (const { readme, code, api, runIn } of examples) {
    it(`packages/${readme}/README.md: runs with node in packages/${runIn} against the ${api.name} mock`, async () => {
      await using mock = await startMock(api.name, { port: 0 });
      // Where the README says to save it; reports/ is not committed. Imports resolve as from the package itself.
      const file = join(packagesDir, runIn, "reports", `readme-example-${readme}.ts`);
      await mkdir(join(file, ".."), { recursive: true });
      await writeFile(file, code.replaceAll(`http://127.0.0.1:${api.mockPort}`, mock.url));

      const { stdout, stderr } = await promisify(execFile)(process.execPath, [file], { cwd: join(packagesDir, runIn) });

      expect(stderr).toBe("");
      expect(stdout.trim(), "the example prints what it did").not.toBe("");
    });
  }
});
