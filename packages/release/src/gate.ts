/**
 * The breaking-change gate for one API: the spec as it is against the spec as last
 * released, in two ways (the semantic diff, and the released calls compiled against the
 * current types), held against the pending changesets for the API's client package.
 */

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { readChangesets } from "@changesets/read";
import type { ApiDefinition } from "@commerce-api/specs";
import { readBaseline } from "./baseline.ts";
import type { ApiChange } from "./diff.ts";
import type { ReleasedCallBreak } from "./released-calls.ts";

export type Bump = "major" | "minor" | "patch";

export interface ApiCheck {
  api: ApiDefinition;
  /** The version last released, or undefined when the API was never released. */
  releasedVersion?: string;
  changes: ApiChange[];
  releasedCallBreaks: ReleasedCallBreak[];
  /** The highest bump the pending changesets give the API's client package, if any names it. */
  bump?: Bump;
  /** The bump the changes call for: what a changeset for them should say. */
  needed?: Bump;
  /** Why the gate fails; empty when it passes. */
  failures: string[];
}

const RANK: Record<Bump | "none", number> = { none: 0, patch: 1, minor: 2, major: 3 };

/** The highest bump of `packageName` across the pending changesets in `rootDir/.changeset`. */
export async function pendingBump(rootDir: string, packageName: string): Promise<Bump | undefined> {
  let highest: Bump | undefined;
  const changesets = await readChangesets(rootDir).catch((error: Error) => {
    throw new Error(`${rootDir}/.changeset: ${error.message.split("\n").slice(0, 2).join(" ")}`);
  });
  for (const changeset of changesets) {
    for (const release of changeset.releases) {
      if (release.name !== packageName || release.type === "none") continue;
      if (!highest || RANK[release.type] > RANK[highest]) highest = release.type;
    }
  }
  return highest;
}

/** The command that adds a changeset for `packageName` without prompting. */
export const addChangesetCommand = (packageName: string, bump: Bump) =>
  `pnpm changeset --${bump} ${packageName} -m "<what changed, for the CHANGELOG>"`;

export async function checkApi(api: ApiDefinition, rootDir: string, workDir: string): Promise<ApiCheck> {
  const baseline = await readBaseline(api);
  const bump = await pendingBump(rootDir, api.packageName);
  if (!baseline) return { api, changes: [], releasedCallBreaks: [], bump, failures: [] };
  const current = JSON.parse(await readFile(api.bundlePath, "utf8"));

  const check: ApiCheck = {
    api,
    releasedVersion: baseline.version,
    changes: [],
    releasedCallBreaks: [],
    bump,
    failures: [],
  };
  if (isDeepStrictEqual(baseline.spec, current)) return check;

  // Loaded only for a spec that changed: the diff library and the TypeScript compiler API take
  // longer to load than the whole check of an unchanged spec.
  const [{ diffSpecs }, { checkReleasedCalls }] = await Promise.all([
    import("./diff.ts"),
    import("./released-calls.ts"),
  ]);
  check.changes = diffSpecs(baseline.spec, current);
  check.releasedCallBreaks = await checkReleasedCalls(
    baseline.spec,
    `${api.specFile} as released in ${api.packageName}@${baseline.version}`,
    api.typesPath,
    join(workDir, api.name),
  );
  const breaking = check.changes.some((change) => change.kind === "breaking") || check.releasedCallBreaks.length > 0;
  const additive = check.changes.some((change) => change.kind === "non-breaking");
  check.needed = breaking ? "major" : additive ? "minor" : "patch";

  const since = `since ${api.packageName}@${baseline.version}`;
  if (!bump) {
    check.failures.push(
      `${api.specFile} changed ${since} and no changeset names ${api.packageName}. Add one: ${addChangesetCommand(api.packageName, check.needed)}`,
    );
  } else if (breaking && bump !== "major") {
    check.failures.push(
      `${api.specFile} has breaking changes ${since}, but the pending changesets give ${api.packageName} only a ${bump} bump. ` +
        `Make it major (edit the changeset, or ${addChangesetCommand(api.packageName, "major")}), or undo the breaking change.`,
    );
  }
  return check;
}
