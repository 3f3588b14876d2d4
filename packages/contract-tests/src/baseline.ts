/**
 * The contract baseline: what the suite finds wrong in an imported vendor spec's own
 * document (a response example that breaks its schema, ...), recorded in
 * `specs/<name>/contract-baseline.yaml` as one entry per case, its id and the reason it
 * failed. A baselined case still runs on every run: still failing, it is reported
 * ("baselined: <case> — <reason>") and does not fail the run; passing, it fails the run,
 * since the baseline only shrinks. A failing case that is not in the file fails as usual.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import type { ApiDefinition } from "@commerce-api/specs";
import { parse, stringify } from "yaml";

export interface BaselineEntry {
  /** The case id: `<kind>: <test title>`, e.g. `examples: getPet returns 200` (see caseId). */
  case: string;
  /** The failure message it was recorded with. */
  reason: string;
}

export const baselinePath = (api: ApiDefinition): string => join(dirname(api.specPath), "contract-baseline.yaml");

/** A case's stable id: the suite part it belongs to (`examples`, `negative cases`, ...) and its test title. */
export const caseId = (kind: string, title: string): string => `${kind}: ${title}`;

/** The API's baseline, by case id; empty when it has no file. A malformed file is an error naming it. */
export function readBaseline(api: ApiDefinition): Map<string, string> {
  const path = baselinePath(api);
  if (!existsSync(path)) return new Map();
  const entries: unknown = parse(readFileSync(path, "utf8"));
  const valid =
    Array.isArray(entries) &&
    entries.every(
      (entry) =>
        entry !== null &&
        typeof entry === "object" &&
        typeof entry.case === "string" &&
        typeof entry.reason === "string",
    );
  if (!valid) throw new Error(`${path}: expected a list of { case, reason } entries, both strings`);
  return new Map((entries as BaselineEntry[]).map((entry) => [entry.case, entry.reason]));
}

const HEADER = `# The contract suite's known failures of this vendor spec's own document, one case each,
# written by \`node packages/contract-tests/src/record-baseline.ts\`. Each is reported on every
# run; one that passes fails the run until it is removed here: the baseline only shrinks.
`;

/** The file's text for these entries: sorted by case, so a rerun writes the same bytes. */
export function renderBaseline(entries: BaselineEntry[]): string {
  const sorted = [...entries]
    .sort((a, b) => (a.case < b.case ? -1 : a.case > b.case ? 1 : 0))
    .map((entry) => ({ case: entry.case, reason: entry.reason }));
  return `${HEADER}${stringify(sorted, { lineWidth: 0 })}`;
}

/** A failure's first line as Vitest reports it (`<name>: <message>`), without terminal colours: what the recorder writes as its reason. */
export function failureLine(failure: unknown): string {
  const text = failure instanceof Error ? (failure.stack ?? `${failure.name}: ${failure.message}`) : String(failure);
  return (
    stripVTControlCharacters(text)
      .split("\n")
      .find((line) => line.trim() !== "") ?? ""
  ).trim();
}

/** What one baselined case did in a run, attached to its test as `task.meta.baselined`. */
export interface BaselinedMeta {
  api: string;
  case: string;
  reason: string;
}

declare module "vitest" {
  interface TaskMeta {
    baselined?: BaselinedMeta;
  }
}

interface Context {
  task: { meta: { baselined?: BaselinedMeta } };
}

/**
 * Runs one case's test body under the API's baseline: a case not in it runs as it is; a
 * baselined one that fails is reported, not failed; a baselined one that passes fails, asking
 * for its entry to be removed.
 */
export function underBaseline<C extends Context>(
  api: ApiDefinition,
  baseline: ReadonlyMap<string, string>,
  id: string,
  body: (context: C) => Promise<void> | void,
  { exact = false }: { exact?: boolean } = {},
): (context: C) => Promise<void> {
  const reason = baseline.get(id);
  if (reason === undefined) return async (context) => body(context);
  return async (context) => {
    try {
      await body(context);
    } catch (error) {
      // A case that gathers many findings (the client types' one compile) is held to exactly
      // what was recorded, so a new finding in it is not hidden by the old ones.
      const failure = failureLine(error);
      if (exact && failure !== reason) {
        throw new Error(
          `${id} fails differently than recorded in ${baselinePath(api)}:\n  now: ${failure}\n  recorded: ${reason}`,
        );
      }
      context.task.meta.baselined = { api: api.name, case: id, reason };
      console.log(`baselined: ${id} — ${reason}`);
      return;
    }
    throw new Error(`${id} passes now: remove it from ${baselinePath(api)}; the baseline only shrinks`);
  };
}
