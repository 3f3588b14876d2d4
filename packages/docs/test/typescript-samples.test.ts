/**
 * The TypeScript samples compile against the real client packages: the factory, its option
 * names, the paths, and the types of parameters and bodies. They are type-checked, not run:
 * run, they would call the live APIs.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { listApis } from "@commerce-api/specs";
import ts from "typescript-api";
import { describe, expect, it } from "vitest";
import { typeScriptSample, withCodeSamples } from "../src/code-samples.ts";
import { listOperations, type OpenApiDocument } from "../src/openapi.ts";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

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

describe("TypeScript samples", () => {
  for (const api of listApis()) {
    it(`${api.name}: every operation's sample, and the guide's mock call, type-check against ${api.packageName}`, () => {
      if (!existsSync(join(packageDir, "node_modules", api.packageName))) {
        throw new Error(
          `Add ${api.packageName} to the devDependencies of @commerce-api/docs to type-check its samples`,
        );
      }
      const document = JSON.parse(readFileSync(api.bundlePath, "utf8")) as OpenApiDocument;
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
  }

  it("the check catches a sample that does not fit the client", () => {
    const [api] = listApis();
    if (!api) throw new Error("redocly.yaml lists no API");
    const file = join(packageDir, "test", "wrong.sample.ts");
    const wrong = `import { ${`create${api.title}Client`} } from "${api.packageName}";\nawait ${`create${api.title}Client`}({ notAnOption: "x" }).GET("/no/such/path");\n`;
    const errors = typeErrors(new Map([[file, wrong]]));
    expect(errors.join("\n")).toMatch(/'notAnOption' does not exist/);
    // The second: openapi-fetch has no overload for a path the spec does not list.
    expect(errors).toHaveLength(2);
  });
});
