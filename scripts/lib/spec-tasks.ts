/**
 * Lint and bundle for one API: what each spec package's `lint` and `bundle` tasks run, and
 * what `pnpm start` reruns on save. Lint runs Redocly's library in-process (one config load,
 * then a fraction of a second per run, which live reload needs); the bundle in dist/ that
 * every other package reads is written by the pinned Redocly CLI, as the docs build uses it.
 */
import { execFile } from "node:child_process";
import { readdir, readFile, rm } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  bundle,
  type Config,
  getLineColLocation,
  lint,
  loadConfig,
  type NormalizedProblem,
} from "@redocly/openapi-core";
import { parse } from "yaml";
import { type ApiDefinition, apisInDirectory, getApi, listApis } from "../../specs/index.ts";
import { scratchPath, writeFileAtomic } from "./fs.ts";

const run = promisify(execFile);
const redocly = fileURLToPath(new URL("../node_modules/.bin/redocly", import.meta.url));
const quiet = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" };

export interface LintProblem {
  /** The file, relative to the redocly.yaml's folder (e.g. `specs/voucherify/paths/v1_orders.yaml`). */
  file: string;
  line: number;
  column: number;
  severity: "error" | "warn";
  rule: string;
  message: string;
}

/** `specs/x/paths/a.yaml:12:5 error operation-description: ...`: one line an editor can jump to. */
export const formatProblem = (problem: LintProblem): string =>
  `${problem.file}:${problem.line}:${problem.column} ${problem.severity} ${problem.rule}: ${problem.message}`;

const configs = new Map<string, Promise<Config>>();

/** The redocly.yaml's rules as they apply to this API (loaded once per config file). */
async function configFor(api: ApiDefinition): Promise<Config> {
  let config = configs.get(api.configPath);
  if (!config) {
    config = loadConfig({ configPath: api.configPath });
    configs.set(api.configPath, config);
  }
  return (await config).forAlias(api.id);
}

function toLintProblem(api: ApiDefinition, { location, severity, ruleId, message }: NormalizedProblem): LintProblem {
  const [where] = location;
  const position = where ? getLineColLocation(where) : undefined;
  return {
    file: where ? relative(dirname(api.configPath), where.source.absoluteRef) : api.specFile,
    line: position?.start.line ?? 1,
    column: position?.start.col ?? 1,
    severity,
    rule: ruleId,
    message,
  };
}

/** The lines around `line` of `text`, numbered, with a caret under `column`. */
function codeFrame(text: string, line: number, column: number): string {
  const first = Math.max(1, line - 2);
  const width = String(line + 2).length;
  return text
    .split("\n")
    .slice(first - 1, line + 2)
    .flatMap((content, index) => {
      const numbered = `${String(first + index).padStart(width)} | ${content}`;
      return first + index === line ? [numbered, `${" ".repeat(width)} | ${" ".repeat(column - 1)}^`] : [numbered];
    })
    .join("\n");
}

/**
 * Every problem Redocly's lint finds in the API's spec, by the rules of its redocly.yaml. A
 * file that is not valid YAML is reported once, at its line with the lines around it: Redocly
 * reports it again at every `$ref` that reaches the file, which only buries the cause.
 */
export async function lintApi(api: ApiDefinition): Promise<LintProblem[]> {
  const problems = (await lint({ ref: api.specPath, config: await configFor(api) })).filter(
    (problem) => !problem.ignored,
  );
  const unparsable = problems.filter((problem) => problem.message.startsWith("Failed to parse"));
  const unparsableFiles = unparsable.flatMap(({ location }) => location.map((where) => where.source.absoluteRef));
  const reported = await Promise.all(
    problems
      .filter(
        (problem) => unparsable.includes(problem) || !unparsableFiles.some((file) => problem.message.includes(file)),
      )
      .map(async (problem) => {
        const lintProblem = toLintProblem(api, problem);
        if (!unparsable.includes(problem)) return lintProblem;
        const source = problem.location[0]?.source.absoluteRef as string;
        const reason = problem.message.replace(/^Failed to parse: /, "").replace(/ in ".*$/s, "");
        const frame = codeFrame(await readFile(source, "utf8"), lintProblem.line, lintProblem.column);
        return { ...lintProblem, rule: "yaml-syntax", message: `${reason}\n${frame}` };
      }),
  );
  return reported;
}

/**
 * The API bundled in memory, for `pnpm start` to serve and document a save at once. Throws,
 * naming each file and line, if a `$ref` cannot be resolved.
 */
export async function bundleInMemory(api: ApiDefinition): Promise<unknown> {
  const result = await bundle({ ref: api.specPath, config: await configFor(api) });
  const errors = result.problems.filter((problem) => problem.severity === "error");
  if (errors.length > 0) {
    const lines = errors.map((problem) => formatProblem(toLintProblem(api, problem)));
    throw new Error(`Bundling ${api.id} (${api.specFile}) failed:\n${lines.join("\n")}`);
  }
  return result.bundle.parsed;
}

/**
 * Bundles the API with the pinned Redocly CLI into one self-contained JSON file
 * (`api.bundlePath`). A spec that fails to bundle (e.g. a broken $ref) throws with Redocly's
 * message naming the file and pointer, and the previous bundle stays untouched.
 */
export async function bundleApi(api: ApiDefinition): Promise<void> {
  const scratch = `${scratchPath(api.bundlePath)}.json`;
  try {
    await run(redocly, ["bundle", api.id, "--config", api.configPath, "--output", scratch], { env: quiet });
    // Round-trip through JSON.parse so the file is known to be complete and well-formed.
    const document = JSON.parse(await readFile(scratch, "utf8"));
    await inlineOutsideRefs(api, document);
    await writeFileAtomic(api.bundlePath, `${JSON.stringify(document, null, 2)}\n`);
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`Bundling ${api.id} (${api.specFile}) failed:\n${stderr || stdout || String(error)}`);
  } finally {
    await rm(scratch, { force: true });
  }
}

type Node = { [key: string]: unknown };
const isNode = (value: unknown): value is Node => value !== null && typeof value === "object";

/** Every `$ref` to another file in `node`, with its JSON pointer; example values are data, not references. */
function outsideRefs(node: unknown, pointer = ""): { node: Node; pointer: string; ref: string }[] {
  if (!isNode(node)) return [];
  if (typeof node.$ref === "string" && !node.$ref.startsWith("#")) return [{ node, pointer, ref: node.$ref }];
  return Object.entries(node).flatMap(([key, value]) =>
    key === "example" || key === "value"
      ? []
      : outsideRefs(value, `${pointer}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`),
  );
}

/** The spec's source files (YAML and JSON, not its dist/), for finding which one wrote a `$ref`. */
async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(ya?ml|json)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !relative(dir, file).split("/").includes("dist"))
    .sort();
}

/**
 * Redocly's bundle leaves a `$ref` it does not follow (one in an array inside an `x-`
 * extension) as written: relative to a source file, which the bundle is not next to. Each is
 * inlined from the file it points to, found from the source file that holds it, so the bundle
 * is self-contained; one that cannot be placed (no source file, or several meaning different
 * files) or whose target refers further fails, naming the ref and where it is.
 */
export async function inlineOutsideRefs(api: ApiDefinition, document: unknown): Promise<void> {
  const found = outsideRefs(document);
  if (found.length === 0) return;
  const root = dirname(api.specPath);
  const files = await Promise.all(
    (await sourceFiles(root)).map(async (file) => ({ file, text: await readFile(file, "utf8") })),
  );
  for (const { node, pointer, ref } of found) {
    const [path = "", fragment] = ref.split("#");
    const holders = files.filter(({ text }) => text.includes(ref)).map(({ file }) => file);
    const targets = [...new Set(holders.map((file) => resolve(dirname(file), path)))];
    const where = `${api.specFile}: the bundle's ${pointer} holds $ref ${ref}`;
    const [target] = targets;
    if (targets.length !== 1 || !target) {
      const written =
        holders.length === 0
          ? "no source file writes it"
          : `written in ${holders.map((file) => relative(root, file)).join(", ")}`;
      throw new Error(`${where}, which Redocly left outside the bundle and which cannot be placed (${written})`);
    }
    let value: unknown;
    try {
      value = parse(await readFile(target, "utf8"));
    } catch (error) {
      throw new Error(`${where}, which Redocly left outside the bundle: ${(error as Error).message}`);
    }
    for (const token of (fragment ?? "").split("/").filter(Boolean)) {
      value = isNode(value) ? value[token.replaceAll("~1", "/").replaceAll("~0", "~")] : undefined;
    }
    if (value === undefined || outsideRefs(value).length > 0) {
      throw new Error(
        `${where}, whose target ${relative(root, target)}${fragment ? `#${fragment}` : ""} is missing or refers further`,
      );
    }
    delete node.$ref;
    Object.assign(node, value);
  }
}

/**
 * The APIs a task command works on: those named, else the one whose spec folder is the
 * working directory (a spec package's task), else every API in the list.
 */
export function selectApis(configPath: string, names: string[]): ApiDefinition[] {
  if (names.length > 0) return names.map((name) => getApi(name, configPath));
  const here = apisInDirectory(process.cwd(), configPath);
  return here.length > 0 ? here : listApis(configPath);
}
