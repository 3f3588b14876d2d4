/**
 * One API's code samples (the `api` project, run from its spec package): every operation's
 * curl and TypeScript samples are built from its spec, and the TypeScript ones compile against
 * its client package: the factory, its option names, the paths, and the types of parameters
 * and bodies. They are type-checked, not run: run, they would call the live API.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript-api";
import { describe, expect, it } from "vitest";
import { codeSamplesFor, typeScriptSample, withCodeSamples } from "../src/code-samples.ts";
import { listOperations, productionServerUrl, resolve } from "../src/openapi.ts";
import { testedApi } from "./support/api.ts";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const { api, document } = testedApi();

/** Type errors of in-memory modules placed in this package, so imports resolve from its node_modules. */
function typeErrors(sources: Map<string, string>): string[] {
  const config = ts.readConfigFile(join(packageDir, "tsconfig.json"), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, packageDir);
  // The clients' own declarations are checked by their packages; here only the samples.
  const compilerOptions = { ...options, noEmit: true, skipLibCheck: true };
  const host = ts.createCompilerHost(compilerOptions);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => sources.has(file) || fileExists.call(host, file);
  host.readFile = (file) => sources.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, languageVersion, ...rest) => {
    const source = sources.get(file);
    return source === undefined
      ? getSourceFile.call(host, file, languageVersion, ...rest)
      : ts.createSourceFile(file, source, languageVersion);
  };
  const program = ts.createProgram([...sources.keys()], compilerOptions, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.formatDiagnostic(diagnostic, host).trim());
}

describe(`${api.name}'s code samples`, () => {
  it("every operation gets curl and TypeScript samples built from its spec", () => {
    const operations = listOperations(document);
    expect(operations.length).toBeGreaterThan(0);
    for (const target of operations) {
      const where = `${target.method.toUpperCase()} ${target.path}`;
      const [curl, typescript, ...rest] = codeSamplesFor(document, api, target);
      expect(rest, where).toEqual([]);
      const method = target.method.toUpperCase();
      const url = /--url '([^']+)'/.exec(curl?.source ?? "")?.[1] ?? "";
      expect(curl?.source.startsWith(`curl --request ${method} \\\n`), where).toBe(true);
      expect(url.startsWith(productionServerUrl(document, target)), where).toBe(true);
      expect(url, `${where}: every path parameter filled in`).not.toMatch(/[{}]/);

      const body = resolve(document, target.operation.requestBody ?? { content: {} }).content?.["application/json"];
      const [firstExample] = Object.values(body?.examples ?? {});
      if (firstExample) {
        const data = /--data '([\s\S]*)'$/.exec(curl?.source ?? "")?.[1]?.replaceAll(`'\\''`, "'");
        expect(JSON.parse(data ?? "null"), `${where}: body is the first named example`).toEqual(
          resolve(document, firstExample).value,
        );
      }
      expect(typescript?.source, where).toContain(`import { ${api.factoryName} } from "${api.packageName}";`);
      expect(typescript?.source, where).toContain(`await client.${method}(${JSON.stringify(target.path)}`);
    }
  });

  it(`every TypeScript sample, and the guide's mock call, type-check against ${api.packageName}`, () => {
    if (!existsSync(join(packageDir, "node_modules", api.packageName))) {
      throw new Error(`Add ${api.packageName} to the devDependencies of @commerce-api/docs to type-check its samples`);
    }
    const sources = new Map<string, string>();
    for (const [index, { method, path, operation }] of listOperations(withCodeSamples(document, api)).entries()) {
      const sample = operation["x-codeSamples"]?.find((candidate) => candidate.label === "TypeScript");
      sources.set(join(packageDir, "test", `${api.name}-${index}-${method}.sample.ts`), sample?.source ?? path);
    }
    const [first] = listOperations(document);
    if (first) {
      const mockCall = typeScriptSample(document, api, first, {
        baseUrl: `http://127.0.0.1:${api.mockPort}`,
        headers: { Prefer: "code=404" },
      });
      sources.set(join(packageDir, "test", `${api.name}-mock.sample.ts`), mockCall);
    }
    expect(sources.size).toBeGreaterThan(0);
    expect(typeErrors(sources)).toEqual([]);
  });

  it("the type check catches a sample that does not fit the client", () => {
    const file = join(packageDir, "test", "wrong.sample.ts");
    const wrong = `import { ${api.factoryName} } from "${api.packageName}";\nawait ${api.factoryName}({ notAnOption: "x" }).GET("/no/such/path");\n`;
    const errors = typeErrors(new Map([[file, wrong]]));
    expect(errors.join("\n")).toMatch(/'notAnOption' does not exist/);
    // The second: openapi-fetch has no overload for a path the spec does not list.
    expect(errors).toHaveLength(2);
  });
});
