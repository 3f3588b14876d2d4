/**
 * `pnpm api:check [api...]`: the breaking-change gate. For every API in redocly.yaml (or
 * the ones named), compares the current bundle with the spec as last released and checks
 * that the pending changesets cover what changed. Prints the report as Markdown, writes it
 * to reports/api-check.md (a turbo output, so a cache hit restores it for CI's job summary),
 * and exits 1 when a check fails.
 *
 *   --config path/to/redocly.yaml   another API list (tests use scratch copies)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { defaultConfigPath, getApi, listApis } from "@commerce-api/specs";
import { writeFileAtomic } from "../../../scripts/lib/fs.ts";
import { checkApi } from "./gate.ts";
import { renderApiCheck } from "./report.ts";

const { values, positionals } = parseArgs({
  options: { config: { type: "string", default: defaultConfigPath } },
  allowPositionals: true,
});
const apis = positionals.length > 0 ? positionals.map((name) => getApi(name, values.config)) : listApis(values.config);
const rootDir = dirname(values.config);

const workDir = await mkdtemp(join(tmpdir(), "commerce-api-check-"));
try {
  const checks = [];
  for (const api of apis) checks.push(await checkApi(api, rootDir, workDir));
  const failed = checks.filter((check) => check.failures.length > 0);
  const report = [
    "## API changes since the last release",
    "",
    ...checks.map(renderApiCheck).flatMap((section) => [section, ""]),
    failed.length > 0
      ? `api:check failed for ${failed.map((check) => check.api.name).join(", ")}.`
      : `api:check passed for ${checks.map((check) => check.api.name).join(", ")}.`,
    "",
  ].join("\n");
  console.log(report);
  await writeFileAtomic(join(import.meta.dirname, "..", "reports", "api-check.md"), report);
  if (failed.length > 0) process.exitCode = 1;
} finally {
  await rm(workDir, { recursive: true, force: true });
}
