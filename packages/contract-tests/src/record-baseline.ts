/**
 * Records an API's contract baseline (see src/baseline.ts): runs the contract suite for it
 * against its mock with no baseline applied, and writes every failing case, with its failure
 * message, to `specs/<name>/contract-baseline.yaml`, sorted, so a rerun writes the same bytes.
 * Nothing failing: no file is written (a stale one is removed). What `pnpm new-api` calls
 * right after splitting and bundling a vendor spec, before `pnpm install` links its client
 * package, so the cases go through the runtime's client configured from the spec. A run that
 * breaks outside a case (a mock that does not start, a test file that does not load) records
 * nothing and fails.
 *
 *   node packages/contract-tests/src/record-baseline.ts [--config path/to/redocly.yaml] <api-name>
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { defaultConfigPath, getApi } from "@commerce-api/specs";
import { type BaselineEntry, baselinePath, caseId, failureLine, renderBaseline } from "./baseline.ts";

interface VitestJson {
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }[];
  }[];
}

const { values, positionals } = parseArgs({
  options: { config: { type: "string", default: defaultConfigPath } },
  allowPositionals: true,
});
const [name, ...extra] = positionals;
if (!name || extra.length > 0) {
  console.error("usage: node packages/contract-tests/src/record-baseline.ts [--config redocly.yaml] <api-name>");
  process.exit(2);
}
const configPath = resolve(values.config);
const api = getApi(name, configPath);
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const vitest = join(packageDir, "node_modules", ".bin", "vitest");

const dir = await mkdtemp(join(tmpdir(), `contract-baseline-${api.name}-`));
try {
  const report = join(dir, "vitest.json");
  const { CONTRACT_TARGET: _live, ...env } = process.env;
  const { stderr } = await new Promise<{ stderr: string }>((done) => {
    execFile(
      vitest,
      ["run", "--project", "suite", "--reporter=json", `--outputFile.json=${report}`],
      {
        cwd: packageDir,
        maxBuffer: 256 * 1024 * 1024,
        env: {
          ...env,
          CONTRACT_CONFIG: configPath,
          CONTRACT_API: api.name,
          CONTRACT_REPORTS_DIR: join(dir, "reports"),
          // Record every failure as it is, not as the current baseline would report it.
          CONTRACT_BASELINE: "off",
          // The client package may not be linked yet: the runtime's client, configured from the spec.
          CONTRACT_CLIENT: "plain",
          // The same generated requests on every recording, so the same failures and messages.
          CONTRACT_SEED: "1",
        },
      },
      (_error, _stdout, stderr) => done({ stderr }),
    );
  });
  const results = JSON.parse(await readFile(report, "utf8").catch(() => "null")) as VitestJson | null;
  // A file that failed outside its cases: an error loading it (message), or one in a describe
  // or hook, which skips every case (failed, with no case failed; the error is on stderr).
  const broken =
    results?.testResults.filter(
      (file) =>
        file.message || (file.status === "failed" && !file.assertionResults.some((test) => test.status === "failed")),
    ) ?? [];
  if (!results || broken.length > 0) {
    const why = broken.map(
      (file) =>
        `${relative(packageDir, file.name)}: ${file.message ? failureLine(file.message) : "failed outside its cases"}`,
    );
    throw new Error(`the contract suite for ${api.name} did not run its cases:\n${why.join("\n")}\n${stderr}`);
  }
  const entries: BaselineEntry[] = results.testResults.flatMap((file) =>
    file.assertionResults
      .filter((test) => test.status === "failed")
      .map((test) => {
        // Every suite file's describe is `<API title> <part>` or the part alone (client types).
        const [suite = ""] = test.ancestorTitles;
        const part = suite.startsWith(`${api.title} `) ? suite.slice(api.title.length + 1) : suite;
        const reason = failureLine(test.failureMessages.join("\n"));
        // A hook's failure fails every case with one message: that is a broken run, not a document fault.
        if (/\bhook\b/i.test(reason)) throw new Error(`${api.name}: ${suite} failed outside its cases: ${reason}`);
        return { case: caseId(part, test.title), reason };
      }),
  );
  const path = baselinePath(api);
  const shown = relative(process.cwd(), path);
  if (entries.length === 0) {
    await rm(path, { force: true });
    console.log(`${api.name}: the contract suite finds nothing wrong in the document; no ${shown} written`);
  } else {
    await writeFile(path, renderBaseline(entries));
    console.log(`${api.name}: recorded ${entries.length} baselined case(s) in ${shown}:`);
    for (const entry of [...entries].sort((a, b) => (a.case < b.case ? -1 : 1))) {
      console.log(`  baselined: ${entry.case} — ${entry.reason}`);
    }
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
