/**
 * Lint and bundle for one API with the pinned Redocly CLI: what each spec package's
 * `lint` and `bundle` tasks run, and what `pnpm start` reruns on save.
 */
import { execFile } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
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

interface RedoclyProblem {
  ruleId: string;
  severity: "error" | "warn";
  message: string;
  location: { source: { ref: string }; start?: { line: number; col: number } }[];
}

/** Every problem Redocly's lint finds in the API's spec (the rules of its redocly.yaml). */
export async function lintApi(api: ApiDefinition): Promise<LintProblem[]> {
  const cwd = dirname(api.configPath);
  const args = ["lint", api.id, "--config", api.configPath, "--format", "json"];
  // Redocly exits 1 when it finds errors; the JSON report is on stdout either way.
  const stdout = await run(redocly, args, { cwd, env: quiet, maxBuffer: 64 * 1024 * 1024 }).then(
    (result) => result.stdout,
    (error: { stdout?: string; stderr?: string }) => {
      if (!error.stdout?.trim().startsWith("{")) throw new Error(`Linting ${api.specFile} failed:\n${error.stderr}`);
      return error.stdout;
    },
  );
  const report = JSON.parse(stdout) as { problems: RedoclyProblem[] };
  return report.problems.map(({ ruleId, severity, message, location }) => {
    const [where] = location;
    return {
      file: where ? relative(cwd, resolve(cwd, where.source.ref)) : api.specFile,
      line: where?.start?.line ?? 1,
      column: where?.start?.col ?? 1,
      severity,
      rule: ruleId,
      message,
    };
  });
}

/**
 * Bundles the API into one self-contained JSON file (`api.bundlePath`, or `outputPath`). A
 * spec that fails to bundle (e.g. a broken $ref) throws with Redocly's message naming the
 * file and pointer, and the previous bundle stays untouched.
 */
export async function bundleApi(api: ApiDefinition, outputPath: string = api.bundlePath): Promise<void> {
  const scratch = `${scratchPath(outputPath)}.json`;
  try {
    await run(redocly, ["bundle", api.id, "--config", api.configPath, "--output", scratch], { env: quiet });
    // Round-trip through JSON.parse so the file is known to be complete and well-formed.
    const document = JSON.parse(await readFile(scratch, "utf8"));
    await writeFileAtomic(outputPath, `${JSON.stringify(document, null, 2)}\n`);
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`Bundling ${api.id} (${api.specFile}) failed:\n${stderr || stdout || String(error)}`);
  } finally {
    await rm(scratch, { force: true });
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
