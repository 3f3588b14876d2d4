/**
 * Proof that the contract suite can fail. For each API, copies of its bundled spec (or of
 * its generated types) get one deliberate break each, and the whole suite is run against
 * every copy through CONTRACT_CONFIG: a scratch redocly.yaml whose bundle is the mutant.
 * Every mutant must make the suite fail ("killed"); the score is printed and written to
 * reports/mutants.json. The real specs and types are never modified.
 *
 *   pnpm --filter @commerce-api/contract-tests mutants [--api <name>]
 *
 * The mutants:
 *   example-breaks-schema   a response example gets a field of the wrong type
 *   response-field-renamed  a required property of a response schema is renamed
 *   types-field-dropped     the client's types are generated from a spec missing a required response field
 *   status-removed          a documented response status is deleted from one operation
 *
 * First, an unmutated copy must pass: a suite that fails anyway would "kill" everything.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type ApiDefinition, getApi, listApis, repoRoot } from "@commerce-api/specs";
import { applyRule, valueRules } from "./negative.ts";
import { reportsDir } from "./run.ts";
import { type LoadedSpec, loadSpec, pointerTo, resolvePointer, type Schema } from "./spec.ts";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const vitest = join(packageDir, "node_modules", ".bin", "vitest");

interface Mutant {
  api: string;
  name: string;
  description: string;
  /** The bundle the suite runs on. */
  bundle: object;
  /** The generated types the suite checks; default the API's own. */
  typesPath?: string;
}

interface Outcome {
  api: string;
  name: string;
  description: string;
  killed: boolean;
  /** The tests that failed on the mutant (what caught it). */
  failedTests: string[];
  /** Why the run failed when no test did (e.g. the coverage gate). */
  note?: string;
}

/** Sets the value at a JSON pointer of `document` (which is a copy). */
function setPointer(document: object, pointer: string, value: unknown): void {
  const tokens = pointer.split("/");
  const last = (tokens.pop() as string).replaceAll("~1", "/").replaceAll("~0", "~");
  (resolvePointer(document, tokens.join("/")) as Record<string, unknown>)[last] = value;
}

/** Follows `$ref` and `items` from a schema to the object schema that defines required properties. */
function objectSchemaPointer(document: object, pointer: string): string | undefined {
  let at = pointer;
  for (let hops = 0; hops < 32; hops += 1) {
    const node = resolvePointer(document, at) as Schema;
    if (typeof node.$ref === "string") at = node.$ref.slice(1);
    else if (node.items !== undefined) at = `${at}/items`;
    else return Array.isArray(node.required) && node.required.length > 0 ? at : undefined;
  }
  return undefined;
}

/** The first required response property that a response example actually carries. */
function requiredResponseField(spec: LoadedSpec): { schema: string; property: string; where: string } {
  for (const operation of spec.operations) {
    for (const response of operation.responses) {
      for (const content of response.content) {
        const schema = content.schemaPointer && objectSchemaPointer(spec.document, content.schemaPointer);
        if (!schema) continue;
        const required = (resolvePointer(spec.document, schema) as Schema).required as string[];
        for (const { value } of content.examples) {
          const sample = Array.isArray(value) ? value[0] : value;
          const property = required.find((name) => sample !== null && typeof sample === "object" && name in sample);
          if (property) return { schema, property, where: `${operation.operationId} ${response.status}` };
        }
      }
    }
  }
  throw new Error(`${spec.api.name}: no response example carries a required property to mutate`);
}

function exampleBreaksSchema(spec: LoadedSpec): Mutant {
  for (const operation of spec.operations) {
    for (const response of operation.responses) {
      for (const content of response.content) {
        for (const example of content.examples) {
          if (!content.schema) continue;
          const rule = valueRules(spec.document, content.schema, example.value).find(
            (candidate) => candidate.kind === "type" && candidate.field.length > 1,
          );
          if (!rule) continue;
          const bundle = structuredClone(spec.document);
          const broken = applyRule({ path: {}, query: {}, header: {}, body: example.value }, rule).body;
          setPointer(bundle, example.pointer, broken);
          return {
            api: spec.api.name,
            name: "example-breaks-schema",
            description: `${operation.operationId} ${response.status} example "${example.name}": ${rule.description}`,
            bundle,
          };
        }
      }
    }
  }
  throw new Error(`${spec.api.name}: no response example has a typed field to break`);
}

function responseFieldRenamed(spec: LoadedSpec): Mutant {
  const { schema, property, where } = requiredResponseField(spec);
  const bundle = structuredClone(spec.document);
  const node = resolvePointer(bundle, schema) as { properties: Record<string, unknown>; required: string[] };
  const renamed = `${property}Renamed`;
  node.properties = Object.fromEntries(
    Object.entries(node.properties).map(([name, value]) => [name === property ? renamed : name, value]),
  );
  node.required = node.required.map((name) => (name === property ? renamed : name));
  return {
    api: spec.api.name,
    name: "response-field-renamed",
    description: `${where}: required ${property} renamed to ${renamed} in ${schema}`,
    bundle,
  };
}

async function typesFieldDropped(spec: LoadedSpec, dir: string): Promise<Mutant> {
  const { schema, property, where } = requiredResponseField(spec);
  const mutated = structuredClone(spec.document);
  const node = resolvePointer(mutated, schema) as { properties: Record<string, unknown>; required: string[] };
  delete node.properties[property];
  node.required = node.required.filter((name) => name !== property);
  // The pipeline's own generator writes the mutant types, so they differ only by the field.
  const typesPath = join(dir, "types.ts");
  // Generated types are ES modules, as in their package.
  await writeFile(join(dir, "package.json"), '{ "type": "module" }\n');
  const config = await writeScratch(dir, spec.api, mutated, typesPath);
  const generated = await run(process.execPath, [
    join(repoRoot, "scripts", "generate.ts"),
    "--config",
    config,
    spec.api.name,
  ]);
  if (generated.code !== 0) throw new Error(`generating the mutant types failed:\n${generated.stderr}`);
  return {
    api: spec.api.name,
    name: "types-field-dropped",
    description: `client types generated without required ${property} of ${schema} (${where})`,
    bundle: spec.document,
    typesPath,
  };
}

function statusRemoved(spec: LoadedSpec): Mutant {
  const operation = spec.operations.find((candidate) => candidate.responses.length > 1);
  const status = operation?.responses.at(-1)?.status;
  if (!operation || !status) throw new Error(`${spec.api.name}: no operation documents two statuses`);
  const bundle = structuredClone(spec.document);
  const responses = resolvePointer(bundle, `${pointerTo("paths", operation.path, operation.method)}/responses`);
  delete (responses as Record<string, unknown>)[status];
  return {
    api: spec.api.name,
    name: "status-removed",
    description: `${operation.operationId}: documented status ${status} removed`,
    bundle,
  };
}

/** A redocly.yaml (JSON is YAML) listing only `api`, with its bundle and types where given. */
async function writeScratch(dir: string, api: ApiDefinition, bundle: object, typesPath: string): Promise<string> {
  // The bundle goes where the list puts it: dist/<name>.json beside the entry file.
  const bundleDir = join(dir, api.specFile, "..", "dist");
  await mkdir(bundleDir, { recursive: true });
  await writeFile(join(bundleDir, `${api.name}.json`), JSON.stringify(bundle, null, 2));
  const entry = {
    // Same entry-file name as the real config: the generator writes it into the types' header.
    root: api.specFile,
    "x-openapi-ts": { output: relative(dir, typesPath) },
    "x-commerce-api": { title: api.title, package: api.packageName, mockPort: api.mockPort },
  };
  const configPath = join(dir, "redocly.yaml");
  await writeFile(configPath, JSON.stringify({ apis: { [api.id]: entry } }, null, 2));
  return configPath;
}

function run(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: packageDir, maxBuffer: 256 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Runs the whole suite on a scratch copy; returns whether it failed and which tests did. */
async function runSuite(
  api: ApiDefinition,
  bundle: object,
  typesPath: string,
): Promise<Omit<Outcome, "api" | "name" | "description">> {
  const dir = await mkdtemp(join(tmpdir(), `contract-mutant-${api.name}-`));
  try {
    const config = await writeScratch(dir, api, bundle, typesPath);
    const { CONTRACT_TARGET: _live, CONTRACT_API: _api, ...env } = process.env;
    const report = join(dir, "vitest.json");
    const { code, stderr } = await run(vitest, ["run", "--reporter=json", `--outputFile.json=${report}`], {
      env: { ...env, CONTRACT_CONFIG: config, CONTRACT_REPORTS_DIR: join(dir, "reports") },
    });
    const results = JSON.parse(await readFile(report, "utf8").catch(() => '{"testResults":[]}')) as {
      testResults: { message?: string; assertionResults: { fullName: string; status: string }[] }[];
    };
    const failedTests = results.testResults.flatMap((file) =>
      file.assertionResults.filter((test) => test.status === "failed").map((test) => test.fullName),
    );
    const brokenFiles = results.testResults.flatMap((file) => (file.message ? [file.message.split("\n")[0]] : []));
    const note = [...brokenFiles, ...stderr.split("\n").filter((line) => line.includes("contract coverage below"))]
      .filter(Boolean)
      .join("; ");
    return { killed: code !== 0, failedTests, ...(note && { note }) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const { values } = parseArgs({ options: { api: { type: "string" } } });
const apis = values.api ? [getApi(values.api)] : listApis();
const outcomes: Outcome[] = [];
let baselineOk = true;

for (const api of apis) {
  const spec = loadSpec(api);
  const baseline = await runSuite(api, spec.document, api.typesPath);
  if (baseline.killed) {
    baselineOk = false;
    console.error(
      `${api.name}: the unmutated suite fails, so mutants prove nothing: ${baseline.failedTests.join("; ")}`,
    );
    continue;
  }
  const typesDir = await mkdtemp(join(tmpdir(), `contract-mutant-types-${api.name}-`));
  try {
    const mutants = [
      exampleBreaksSchema(spec),
      responseFieldRenamed(spec),
      await typesFieldDropped(spec, typesDir),
      statusRemoved(spec),
    ];
    for (const mutant of mutants) {
      const outcome = { ...mutant, ...(await runSuite(api, mutant.bundle, mutant.typesPath ?? api.typesPath)) };
      const { bundle: _bundle, typesPath: _types, ...reported } = outcome;
      outcomes.push(reported);
      const caughtBy =
        outcome.failedTests.length > 0
          ? `caught by ${outcome.failedTests.length} test(s): ${outcome.failedTests.slice(0, 3).join("; ")}`
          : (outcome.note ?? "");
      console.log(
        `${outcome.killed ? "killed  " : "SURVIVED"} ${api.name} ${mutant.name}: ${mutant.description}\n         ${caughtBy}`,
      );
    }
  } finally {
    await rm(typesDir, { recursive: true, force: true });
  }
}

const killed = outcomes.filter((outcome) => outcome.killed).length;
const score = outcomes.length === 0 ? 0 : killed / outcomes.length;
await mkdir(reportsDir, { recursive: true });
await writeFile(
  join(reportsDir, "mutants.json"),
  `${JSON.stringify({ generatedAt: new Date().toISOString(), baselinePassed: baselineOk, killed, total: outcomes.length, score, mutants: outcomes }, null, 2)}\n`,
);
console.log(`mutation score: ${killed}/${outcomes.length} killed (${Math.round(score * 100)}%)`);
if (!baselineOk || killed < outcomes.length) process.exit(1);
