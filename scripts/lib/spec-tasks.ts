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
import { isMap, isScalar, isSeq, LineCounter, parse, parseDocument, stringify } from "yaml";
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

// Keyed on the file's text too: `pnpm new-api` adds an entry and lints it in the same process.
const configs = new Map<string, { text: string; config: Promise<Config> }>();

/**
 * The redocly.yaml's rules as they apply to this API (loaded once per config file), ignoring
 * exactly the problems in `ignore` (Redocly's ignore map: file -> rule -> JSON pointers). A
 * `.redocly.lint-ignore.yaml` beside the config is not applied: an API's only ignore list is
 * its own lint baseline, which lintApi reports and checks on every run.
 */
async function configFor(api: ApiDefinition, ignore: Config["ignore"] = {}): Promise<Config> {
  const text = await readFile(api.configPath, "utf8");
  let cached = configs.get(api.configPath);
  if (cached?.text !== text) {
    cached = { text, config: loadConfig({ configPath: api.configPath }) };
    configs.set(api.configPath, cached);
  }
  const config = (await cached.config).forAlias(api.id);
  config.ignore = ignore;
  return config;
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

/** One entry of a lint baseline: a problem Redocly may report, where the baseline lists it. */
interface BaselineEntry {
  /** Absolute path of the spec file the problem is in. */
  file: string;
  rule: string;
  /** The JSON pointer Redocly reports the problem at (`#/paths/~1pets/get`). */
  pointer: string;
  /** Where the entry itself is, in the baseline file. */
  line: number;
  column: number;
}

const BASELINE_SHAPE =
  "must map each spec file (relative to it) to rule names, each to a list of JSON pointers, as Redocly's ignore file does";

/**
 * The API's lint baseline (`api.lintBaselinePath`), or undefined when it has none. Its shape
 * is Redocly's ignore file (file -> rule -> JSON pointers), with the files relative to the
 * baseline's own folder, so it moves with the spec.
 */
async function readLintBaseline(api: ApiDefinition): Promise<BaselineEntry[] | undefined> {
  const path = api.lintBaselinePath;
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  const where = relative(dirname(api.configPath), path);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const [error] = document.errors;
  if (error) throw new Error(`${where}: ${error.message}`);
  const entries: BaselineEntry[] = [];
  if (document.contents === null) return entries;
  const fail = (node: unknown): never => {
    const offset = (node as { range?: [number] } | null)?.range?.[0] ?? 0;
    const { line, col } = lineCounter.linePos(offset);
    throw new Error(`${where}:${line}:${col}: the lint baseline ${BASELINE_SHAPE}`);
  };
  if (!isMap(document.contents)) fail(document.contents);
  for (const filePair of (document.contents as { items: { key: unknown; value: unknown }[] }).items) {
    if (!isScalar(filePair.key) || typeof filePair.key.value !== "string" || !isMap(filePair.value)) fail(filePair.key);
    const file = resolve(dirname(path), String((filePair.key as { value: string }).value));
    for (const rulePair of (filePair.value as { items: { key: unknown; value: unknown }[] }).items) {
      if (!isScalar(rulePair.key) || typeof rulePair.key.value !== "string" || !isSeq(rulePair.value)) {
        fail(rulePair.key);
      }
      for (const item of (rulePair.value as { items: unknown[] }).items) {
        if (!isScalar(item) || typeof item.value !== "string") fail(item);
        const { line, col } = lineCounter.linePos((item as { range: [number] }).range[0]);
        const rule = String((rulePair.key as { value: string }).value);
        entries.push({ file, rule, pointer: String((item as { value: string }).value), line, column: col });
      }
    }
  }
  return entries;
}

/** Redocly's ignore map for these entries. */
function ignoreMap(entries: BaselineEntry[]): Config["ignore"] {
  const ignore: Config["ignore"] = {};
  for (const { file, rule, pointer } of entries) {
    const rules = ignore[file] ?? {};
    ignore[file] = rules;
    rules[rule] = (rules[rule] ?? new Set()).add(pointer);
  }
  return ignore;
}

export interface LintResult {
  /** What fails (errors) or is shown (warnings): the spec's problems, and the baseline's own. */
  problems: LintProblem[];
  /** How many of the spec's problems its lint baseline lists (not in `problems`). */
  baselined: number;
}

/**
 * Every problem Redocly's lint finds in the API's spec, by the rules of its redocly.yaml. A
 * file that is not valid YAML is reported once, at its line with the lines around it: Redocly
 * reports it again at every `$ref` that reaches the file, which only buries the cause.
 *
 * An imported API (`x-commerce-api.imported`) may have a lint baseline: the problems of the
 * vendor's spec recorded by `pnpm new-api`. Those are counted, not shown. The baseline only
 * shrinks: an entry no problem matches any more is an error (`lint-baseline`) at its line,
 * so it is deleted once fixed, and a problem it does not list fails as usual. A baseline of an
 * API that was not imported is an error and is not applied.
 */
export async function lintApi(api: ApiDefinition): Promise<LintResult> {
  const baseline = await readLintBaseline(api);
  const baselineFile = relative(dirname(api.configPath), api.lintBaselinePath);
  const applied = api.imported ? baseline : undefined;
  const all = await lint({ ref: api.specPath, config: await configFor(api, ignoreMap(applied ?? [])) });
  const ignored = all.filter((problem) => problem.ignored);
  const problems = all.filter((problem) => !problem.ignored);
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
  const baselineProblem = (line: number, column: number, message: string): LintProblem => ({
    file: baselineFile,
    line,
    column,
    severity: "error",
    rule: "lint-baseline",
    message,
  });
  if (baseline && !api.imported) {
    reported.push(
      baselineProblem(
        1,
        1,
        `only an API imported by \`pnpm new-api\` (x-commerce-api.imported in ${relative(dirname(api.configPath), api.configPath)}) may have a lint baseline; ${api.id} is hand-written, so it meets every rule: fix what the baseline lists and delete the file`,
      ),
    );
  }
  for (const entry of applied ?? []) {
    const matches = ignored.some(
      ({ ruleId, location: [where] }) =>
        ruleId === entry.rule && where?.source.absoluteRef === entry.file && where.pointer === entry.pointer,
    );
    if (!matches) {
      reported.push(
        baselineProblem(
          entry.line,
          entry.column,
          `stale entry: ${relative(dirname(api.configPath), entry.file)} has no ${entry.rule} problem at ${entry.pointer} any more; delete the entry (the baseline only shrinks)`,
        ),
      );
    }
  }
  return { problems: reported, baselined: ignored.length };
}

/**
 * Records every problem the API's spec has now as its lint baseline (`api.lintBaselinePath`)
 * and returns how many; with none, writes no file. What `pnpm new-api` runs on a vendor's spec.
 * A problem Redocly reports at no JSON pointer (a file it cannot parse) cannot be baselined.
 */
export async function recordLintBaseline(api: ApiDefinition): Promise<number> {
  const problems = await lint({ ref: api.specPath, config: await configFor(api) });
  const dir = dirname(api.lintBaselinePath);
  const baseline: Record<string, Record<string, string[]>> = {};
  for (const problem of problems) {
    const [where] = problem.location;
    if (where?.pointer === undefined) {
      throw new Error(`cannot baseline, fix it first: ${formatProblem(toLintProblem(api, problem))}`);
    }
    const file = relative(dir, where.source.absoluteRef);
    const rules = baseline[file] ?? {};
    baseline[file] = rules;
    const pointers = rules[problem.ruleId] ?? [];
    rules[problem.ruleId] = pointers.includes(where.pointer) ? pointers : [...pointers, where.pointer];
  }
  if (problems.length === 0) return 0;
  // Sorted, so the same spec always gives the same file.
  const sorted = Object.fromEntries(
    Object.keys(baseline)
      .sort()
      .map((file) => {
        const rules = baseline[file] as Record<string, string[]>;
        return [
          file,
          Object.fromEntries(
            Object.keys(rules)
              .sort()
              .map((rule) => [rule, (rules[rule] as string[]).sort()]),
          ),
        ];
      }),
  );
  const header = [
    `# What ${api.id}'s spec, imported from a vendor, does not meet of the lint rules in redocly.yaml,`,
    "# recorded by `pnpm new-api`: spec file (relative to this folder) -> rule -> JSON pointers, in",
    "# the shape of Redocly's ignore file. `pnpm lint` counts these instead of failing on them, and",
    "# fails on an entry that no longer matches a problem: fix a problem, delete its entry. It only shrinks.",
  ];
  await writeFileAtomic(api.lintBaselinePath, `${header.join("\n")}\n${stringify(sorted)}`);
  return problems.length;
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
