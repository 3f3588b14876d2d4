import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { fixtureApi, scratchRepo } from "./scratch-repo.ts";

const run = promisify(execFile);
const scriptsDir = fileURLToPath(new URL("..", import.meta.url));

/** Runs a command and returns its exit code and output instead of throwing. */
async function attempt(file: string, args: string[]) {
  try {
    const { stdout, stderr } = await run(file, args);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, output: stdout + stderr };
  }
}

const lint = (configPath: string) => attempt(process.execPath, [join(scriptsDir, "lint.ts"), "--config", configPath]);
const bundle = (configPath: string) =>
  attempt(process.execPath, [join(scriptsDir, "bundle.ts"), "--config", configPath]);
const generate = (configPath: string, ...args: string[]) =>
  attempt(process.execPath, [join(scriptsDir, "generate.ts"), "--config", configPath, fixtureApi.name, ...args]);

describe("the spec pipeline", () => {
  it("lint stops a spec that breaks a rule, naming the file, the line and the rule", async () => {
    const { dir, configPath } = await scratchRepo();
    expect((await lint(configPath)).code).toBe(0);
    const entry = join(dir, fixtureApi.specFile);
    const document = parseDocument(await readFile(entry, "utf8"));
    document.deleteIn(["info", "license"]);
    await writeFile(entry, document.toString());

    const result = await lint(configPath);

    expect(result.code).toBe(1);
    expect(result.output).toMatch(/^specs\/pets\/openapi\.yaml:\d+:\d+ error info-license: /m);
  });

  it("lint reports a YAML syntax error once, at its line with the lines around it, and not again at each $ref", async () => {
    const { dir, configPath } = await scratchRepo();
    const broken = join(dir, "specs/pets/components/Pet.yaml");
    const lines = (await readFile(broken, "utf8")).split("\n");
    // One line of a nested mapping indented one space too little.
    const index = lines.findIndex((line, at) => /^ {4}type: /.test(line) && /^ {2}\w+:$/.test(lines[at - 1] ?? ""));
    lines[index] = (lines[index] as string).slice(1);
    await writeFile(broken, lines.join("\n"));

    const result = await lint(configPath);

    expect(result.code).toBe(1);
    expect(result.output.match(/specs\/pets\/components\/Pet\.yaml:\d+:\d+ error yaml-syntax: /g)).toHaveLength(1);
    expect(result.output).toContain(`${index + 1} | ${lines[index]}`);
    expect(result.output).not.toContain("$ref");
    expect(result.output).toContain("1 error(s)");
  });

  it("bundle fails on a broken $ref with the file and pointer, and keeps the previous good bundle", async () => {
    const { dir, configPath } = await scratchRepo();
    const bundlePath = join(dir, "specs/pets/dist/pets.json");
    expect((await bundle(configPath)).code).toBe(0);
    const goodBundle = await readFile(bundlePath, "utf8");
    expect(JSON.parse(goodBundle).openapi).toMatch(/^3\.1/);

    const entry = join(dir, fixtureApi.specFile);
    const document = parseDocument(await readFile(entry, "utf8"));
    const firstPath = Object.keys(document.toJS().paths)[0] ?? "";
    document.setIn(["paths", firstPath], { $ref: "paths/does-not-exist.yaml" });
    await writeFile(entry, document.toString());

    const result = await bundle(configPath);

    expect(result.code).toBe(1);
    expect(result.output).toContain("does-not-exist.yaml");
    expect(result.output).toContain(`#/paths/${firstPath.replaceAll("/", "~1")}`);
    expect(await readFile(bundlePath, "utf8")).toBe(goodBundle);
  });

  it("generates byte-identical types on every run, and --check names a stale file and the fix", async () => {
    const { dir, configPath } = await scratchRepo();
    expect((await bundle(configPath)).code).toBe(0);
    const typesPath = join(dir, "generated/pets.ts");

    expect((await generate(configPath)).code).toBe(0);
    const first = await readFile(typesPath, "utf8");
    expect((await generate(configPath)).code).toBe(0);
    expect(await readFile(typesPath, "utf8")).toBe(first);
    expect(first).toContain("export interface paths");
    expect(first).toContain("export const environments");
    expect((await generate(configPath, "--check")).code).toBe(0);

    await writeFile(typesPath, first.replace("export interface paths", "export interface pathz"));
    const stale = await generate(configPath, "--check");
    expect(stale.code).toBe(1);
    expect(stale.output).toContain("is out of date with specs/pets/openapi.yaml: run `pnpm generate`");
  });

  it("rejects an API list entry without a mock port, naming the entry and the field", async () => {
    const { configPath } = await scratchRepo();
    const document = parseDocument(await readFile(configPath, "utf8"));
    document.deleteIn(["apis", fixtureApi.id, "x-commerce-api", "mockPort"]);
    await writeFile(configPath, document.toString());

    const result = await bundle(configPath);

    expect(result.code).not.toBe(0);
    expect(result.output).toContain(`apis.${fixtureApi.id}.x-commerce-api.mockPort must be an integer port`);
  });
});
