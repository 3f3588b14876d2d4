/**
 * Proves the published packages work for a consumer outside this workspace. For each set of
 * packages: packs them with `pnpm pack`, installs the tarballs together into a fresh project
 * with `npm install`, compiles a small strict TypeScript file that uses them (`skipLibCheck:
 * false`), runs it, and runs `attw` (are the types wrong?) and `publint` on each tarball.
 *
 *   client <api>: @commerce-api/runtime and the API's client package (the list's
 *            `x-commerce-api.package`); the consumer makes the API's sample call (the docs'
 *            first call) against a fake fetch, with no @types/node, and checks what was sent.
 *            Each client package's `test:packaging` runs this for its own API.
 *   mocks:   @commerce-api/mocks; the consumer is its README's first example (a real mock,
 *            started and called), then the `commerce-api-mock` bin serves the list's first API.
 *
 *   node scripts/check-packages.ts client directscale   # packs the dist/ already built
 *   node scripts/check-packages.ts --build mocks        # builds the packages first
 *
 * Exits 1 with a message saying which step failed and why.
 */
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { firstCall, type SampleRequest, sampleRequest } from "../packages/docs/src/code-samples.ts";
import type { OpenApiDocument } from "../packages/docs/src/openapi.ts";
import { type ApiDefinition, clientPackageDir, getApi, listApis, repoRoot } from "../specs/index.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { build: { type: "boolean", default: false }, keep: { type: "boolean", default: false } },
});

class CheckFailed extends Error {}

async function run(step: string, command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error)
        reject(new CheckFailed(`${step} failed (${command} ${args.join(" ")} in ${cwd}):\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

const packageDir = (name: string) => join(repoRoot, "packages", name);

async function pack(name: string, destination: string): Promise<string> {
  const dir = packageDir(name);
  if (values.build) await run(`building @commerce-api/${name}`, "pnpm", ["run", "build"], dir);
  for (const file of ["dist/index.js", "dist/index.d.ts"]) {
    if (!existsSync(join(dir, file))) {
      throw new CheckFailed(
        `packages/${name}/${file} is missing: build first (\`pnpm turbo run build --filter=@commerce-api/${name}\`) or pass --build`,
      );
    }
  }
  const before = new Set(await readdir(destination));
  await run(`packing @commerce-api/${name}`, "pnpm", ["pack", "--pack-destination", destination], dir);
  const tarball = (await readdir(destination)).find((file) => file.endsWith(".tgz") && !before.has(file));
  if (!tarball) throw new CheckFailed(`pnpm pack wrote no tarball for @commerce-api/${name}`);
  return join(destination, tarball);
}

/** What a packed package.json must say for npm consumers; `packed` are the packages installed beside it. */
async function checkManifest(name: string, consumerDir: string, packed: readonly string[]): Promise<void> {
  const manifestPath = join(consumerDir, "node_modules", "@commerce-api", name, "package.json");
  const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
  const problems = [
    manifest.private && "it is private",
    manifest.type !== "module" && 'type is not "module"',
    manifest.sideEffects !== false && "sideEffects is not false",
    !manifest.exports?.["."]?.types && 'exports["."] has no types condition',
    JSON.stringify(manifest.dependencies ?? {}).includes("workspace:") && "a dependency still says workspace:",
    ...Object.keys(manifest.dependencies ?? {})
      .filter((dependency) => dependency.startsWith("@commerce-api/") && !packed.includes(dependency.slice(14)))
      .map((dependency) => `it depends on ${dependency}, which is not published with it`),
    existsSync(join(consumerDir, "node_modules", "@commerce-api", name, "test")) && "it ships its tests",
  ].filter(Boolean);
  if (problems.length > 0) throw new CheckFailed(`@commerce-api/${name}'s packed package.json: ${problems.join("; ")}`);
}

/** The API's sample request (the docs' first call), from its bundle. */
function sampleOf(api: ApiDefinition): { sample: SampleRequest; method: string } {
  const document = JSON.parse(readFileSync(api.bundlePath, "utf8")) as OpenApiDocument;
  const target = firstCall(document);
  if (!target) throw new CheckFailed(`${api.specFile} has no operation for the consumer to call`);
  return { sample: sampleRequest(document, api, target), method: target.method.toUpperCase() };
}

/**
 * Uses the API's client the way its README does: the sample call, with the credentials its
 * spec asks for, against a fake fetch; every assertion failure exits 1 with its message.
 */
function clientConsumer(api: ApiDefinition): string {
  const { sample, method } = sampleOf(api);
  const params = Object.fromEntries(
    Object.entries(sample.params).filter(([, values]) => Object.keys(values).length > 0),
  );
  const init = Object.keys(params).length > 0 ? `, ${JSON.stringify({ params })}` : "";
  const headerChecks = Object.entries(sample.headers).map(
    ([name, value]) =>
      `check(sent[0]?.headers.get(${JSON.stringify(name)}) === ${JSON.stringify(value)}, ${JSON.stringify(`${name} was not sent`)});`,
  );
  return `
import { NotFoundError as RuntimeNotFoundError } from "@commerce-api/runtime";
import { ${api.factoryName}, NotFoundError } from "${api.packageName}";

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(\`${api.title}: \${message}\`);
}

const sent: Request[] = [];
const fakeFetch = async (request: Request): Promise<Response> => {
  sent.push(request);
  const status = new URL(request.url).pathname === "/no/such/path" ? 404 : 200;
  return new Response("{}", { status, headers: { "Content-Type": "application/json" } });
};
const options = { ...${JSON.stringify(sample.options)}, baseUrl: "http://mock.test", fetch: fakeFetch };

const { response } = await ${api.factoryName}(options).${method}(${JSON.stringify(sample.path)}${init});
check(response.status === 200, \`the sample call answered \${response.status}\`);
check(sent[0]?.url === ${JSON.stringify(`http://mock.test${sample.url}`)}, \`it was sent to \${sent[0]?.url}\`);
${headerChecks.join("\n")}

const thrown = await ${api.factoryName}({ ...options, throwOnError: true })
  // @ts-expect-error the consumer sees the real types: this path does not exist
  .GET("/no/such/path")
  .catch((error: unknown) => error);
check(thrown instanceof NotFoundError, "a 404 did not throw the client's NotFoundError");
check(thrown instanceof RuntimeNotFoundError, "the client's errors are not the runtime's: one hierarchy is shared by every client");

console.log("consumer check passed");
`;
}

/** The first TypeScript example of a package's README, which is written to run as it is. */
async function readmeExample(name: string): Promise<string> {
  const readme = await readFile(join(packageDir(name), "README.md"), "utf8");
  const example = readme.match(/```ts\n([\s\S]*?)```/)?.[1];
  if (example === undefined) throw new CheckFailed(`packages/${name}/README.md has no \`\`\`ts example`);
  return example;
}

/** Starts the installed `commerce-api-mock` for the list's first API on a free port, sends its sample request, and stops it with SIGTERM. */
async function checkMockBin(consumerDir: string): Promise<void> {
  const [api] = listApis();
  if (!api) throw new CheckFailed("redocly.yaml lists no API");
  const bin = join(consumerDir, "node_modules", ".bin", "commerce-api-mock");
  const child = spawn(bin, [api.name, "--port", "0"], { cwd: consumerDir, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const exited = once(child, "exit");
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", () => {
        const match = output.match(new RegExp(`${api.title} mock {2}(http://127\\.0\\.0\\.1:\\d+)`));
        if (match?.[1]) resolve(match[1]);
      });
      exited.then(() => reject(new CheckFailed(`commerce-api-mock exited before serving:\n${output}`)));
    });
    const { sample, method } = sampleOf(api);
    const response = await fetch(`${url}${sample.url}`, { method, headers: sample.headers });
    if (!response.ok) throw new CheckFailed(`commerce-api-mock answered ${response.status}:\n${output}`);
  } finally {
    child.kill("SIGTERM");
  }
  const [code] = await exited;
  if (code !== 0) throw new CheckFailed(`commerce-api-mock exited ${code} on SIGTERM:\n${output}`);
}

interface PackageSet {
  packages: readonly string[];
  /** TypeScript the consumer compiles and runs; it prints `expected` when it worked. */
  consumer: () => Promise<string>;
  expected: string;
  /** The consumer's `lib` and `types`: the client packages must not need @types/node. */
  lib: string[];
  types: string[];
  /** More checks in the consumer project after the consumer ran. */
  after?: (consumerDir: string) => Promise<void>;
}

/** The runtime and the API's client package, consumed without @types/node. */
function clientSet(api: ApiDefinition): PackageSet {
  const dir = clientPackageDir(api);
  if (!dir) throw new CheckFailed(`${api.name} has no client package (${api.packageName}) to check`);
  return {
    packages: ["runtime", basename(dir)],
    consumer: async () => clientConsumer(api),
    expected: "consumer check passed",
    lib: ["ES2023", "DOM", "DOM.Iterable"],
    types: [],
  };
}

const MOCKS: PackageSet = {
  packages: ["mocks"],
  consumer: () => readmeExample("mocks"),
  expected: "200 list 2",
  lib: ["ES2023", "DOM", "DOM.Iterable", "ESNext.Disposable"],
  types: [],
  after: checkMockBin,
};

async function checkConsumer(workDir: string, set: PackageSet, tarballs: string[]): Promise<void> {
  const consumerDir = join(workDir, "consumer");
  await mkdir(consumerDir);
  await writeFile(
    join(consumerDir, "package.json"),
    JSON.stringify({ name: "commerce-api-consumer", private: true, type: "module" }, null, 2),
  );
  // --prefer-offline: registry metadata already in npm's cache is used without asking again
  // (each check otherwise spends seconds revalidating the same Prism dependencies).
  const install = ["install", "--prefer-offline", "--no-audit", "--no-fund", ...tarballs];
  await run("npm install of the tarballs", "npm", install, consumerDir);
  for (const name of set.packages) await checkManifest(name, consumerDir, set.packages);

  await writeFile(
    join(consumerDir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          target: "ES2023",
          lib: set.lib,
          module: "NodeNext",
          moduleResolution: "NodeNext",
          types: set.types,
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: false,
          outDir: "out",
        },
        files: ["check.ts"],
      },
      null,
      2,
    ),
  );
  await writeFile(join(consumerDir, "check.ts"), await set.consumer());
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  await run(
    "type-checking the consumer (strict, skipLibCheck: false)",
    process.execPath,
    [tsc, "-p", "."],
    consumerDir,
  );
  const output = await run("running the consumer", process.execPath, [join("out", "check.js")], consumerDir);
  if (!output.includes(set.expected)) {
    throw new CheckFailed(`the consumer did not print "${set.expected}":\n${output}`);
  }
  await set.after?.(consumerDir);
}

/**
 * `attw` (ESM-only packages, so the CommonJS resolutions do not apply) and `publint --strict`
 * on each tarball.
 */
async function lintTarballs(tarballs: string[]): Promise<string> {
  const attw = join(packageDir("runtime"), "node_modules", ".bin", "attw");
  const publint = join(repoRoot, "scripts", "node_modules", ".bin", "publint");
  const skipped = [attw, publint].filter((tool) => !existsSync(tool));
  if (skipped.length > 0) return `attw and publint skipped: ${skipped.join(", ")} not installed`;
  for (const tarball of tarballs) {
    await run(`attw on ${tarball}`, attw, [tarball, "--profile", "esm-only", "--format", "ascii"], repoRoot);
    await run(`publint on ${tarball}`, publint, ["run", tarball, "--strict"], repoRoot);
  }
  return "attw and publint: no problems";
}

async function checkSet(name: string, set: PackageSet): Promise<string> {
  const workDir = await mkdtemp(join(tmpdir(), `commerce-api-packages-${name}-`));
  try {
    const tarballDir = join(workDir, "tarballs");
    await mkdir(tarballDir);
    const tarballs: string[] = [];
    for (const packageName of set.packages) tarballs.push(await pack(packageName, tarballDir));
    await checkConsumer(workDir, set, tarballs);
    const lintResult = await lintTarballs(tarballs);
    return `packages check passed: ${set.packages.map((packageName) => `@commerce-api/${packageName}`).join(", ")}; ${lintResult}`;
  } finally {
    if (values.keep) console.log(`kept ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }
}

try {
  const [setName, apiName] = positionals;
  if (setName === "client" && apiName) console.log(await checkSet(`client-${apiName}`, clientSet(getApi(apiName))));
  else if (setName === "mocks" && !apiName) console.log(await checkSet("mocks", MOCKS));
  else throw new CheckFailed("usage: check-packages.ts [--build] [--keep] (client <api> | mocks)");
} catch (error) {
  console.error(error instanceof CheckFailed ? `packages check: ${error.message}` : error);
  process.exitCode = 1;
}
