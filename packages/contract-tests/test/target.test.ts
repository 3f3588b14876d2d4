/**
 * Where the suite runs: the mocks by default; a live host with CONTRACT_TARGET, for the API
 * CONTRACT_API names or else the APIs whose credentials are set, read-only unless
 * CONTRACT_ALLOW_WRITES=1. Checked on the APIs of the list, whatever they are.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { listApis, repoRoot } from "@commerce-api/specs";
import { describe, expect, test } from "vitest";
import { credentialVariables } from "../src/clients.ts";
import { type LoadedSpec, loadSpec, READ_ONLY_METHODS } from "../src/spec.ts";
import { planRun, skipReason } from "../src/target.ts";

const specs = listApis().map((api) => loadSpec(api));
const names = (plan: ReturnType<typeof planRun>) => plan.apis.map(({ spec }) => spec.api.name);
const credentialsOf = (spec: LoadedSpec, value: string) =>
  Object.fromEntries(credentialVariables(spec).map((variable) => [variable, value]));
// The rules are about APIs that need credentials; the list's first two do.
const [first, second] = specs.filter((spec) => credentialVariables(spec).length > 0);
if (!first || !second) throw new Error("these tests need two APIs with credentials in the list");
const target = "https://api.example.test";
const run = promisify(execFile);

interface DryTask {
  taskId: string;
  hash: string;
  resolvedTaskDefinition: { cache: boolean };
  environmentVariables: { configured: string[]; passthrough: string[] | null };
}

describe("the run plan", () => {
  test("tests every API against its mock when no CONTRACT_TARGET is set, even with credentials around", () => {
    const plan = planRun(specs, credentialsOf(first, "real-key"));
    expect(plan.mode).toBe("mock");
    expect(names(plan)).toEqual(listApis().map((api) => api.name));
    expect(plan.apis.find(({ spec }) => spec === first)?.credentials).toEqual(credentialsOf(first, "contract-tests"));
  });

  test("runs live only the APIs whose credentials are all set, and says why the others are skipped", () => {
    const [half] = credentialVariables(second);
    const plan = planRun(specs, {
      CONTRACT_TARGET: target,
      ...credentialsOf(first, "real-key"),
      ...(half && { [half]: "only-half" }),
    });
    expect(plan).toMatchObject({ mode: "live", target, allowWrites: false });
    const runs = specs.filter((spec) => spec === first || credentialVariables(spec).length === 0);
    expect(names(plan)).toEqual(runs.map((spec) => spec.api.name));
    expect(plan.apis[runs.indexOf(first)]?.credentials).toEqual(credentialsOf(first, "real-key"));
    const secondMissing = credentialVariables(second).filter((variable) => variable !== half);
    expect(plan.mode === "live" && plan.skipped).toContainEqual({
      name: second.api.name,
      reason: `${secondMissing.join(" and ")} not set`,
    });
  });

  test("runs live only the API CONTRACT_API names, and refuses when its credentials are missing", () => {
    const env = { CONTRACT_TARGET: target, CONTRACT_API: second.api.name, ...credentialsOf(first, "k") };
    expect(() => planRun(specs, env)).toThrow(
      `CONTRACT_API=${second.api.name} needs ${credentialVariables(second).join(" and ")} in the environment`,
    );
    const plan = planRun(specs, { ...env, ...credentialsOf(second, "v") });
    expect(names(plan)).toEqual([second.api.name]);
  });

  test("refuses a live run with no usable credentials, an unknown API or a target that is not a URL", () => {
    const needs = specs.map((spec) => `${spec.api.name}: ${credentialVariables(spec).join(" + ")}`).join("; ");
    expect(() => planRun(specs, { CONTRACT_TARGET: target })).toThrow(
      `no API has its credentials in the environment (${needs})`,
    );
    const known = specs.map((spec) => spec.api.name).join(", ");
    expect(() => planRun(specs, { CONTRACT_TARGET: target, CONTRACT_API: "no-such-api" })).toThrow(
      `CONTRACT_API=no-such-api is not an API in redocly.yaml (known: ${known})`,
    );
    expect(() => planRun(specs, { CONTRACT_TARGET: "api.example.test" })).toThrow("must be an http(s) URL");
  });

  test("skips live writes unless CONTRACT_ALLOW_WRITES=1, and operations served by another host", () => {
    const operations = specs.flatMap((spec) => spec.operations);
    const onTarget = operations.filter((operation) => !operation.hasOwnServers);
    const read = onTarget.find((operation) => READ_ONLY_METHODS.has(operation.method));
    const write = onTarget.find((operation) => !READ_ONLY_METHODS.has(operation.method));
    if (!read || !write) throw new Error("the list's specs have no read and write operations to plan");
    const live = { CONTRACT_TARGET: target, ...credentialsOf(first, "k"), ...credentialsOf(second, "v") };
    const readOnly = planRun(specs, live);
    expect(skipReason(readOnly, read)).toBeUndefined();
    expect(skipReason(readOnly, write)).toContain("set CONTRACT_ALLOW_WRITES=1");
    for (const elsewhere of operations.filter((operation) => operation.hasOwnServers)) {
      expect(skipReason(readOnly, elsewhere)).toContain("served by its own host");
    }
    const writable = planRun(specs, { ...live, CONTRACT_ALLOW_WRITES: "1" });
    expect(skipReason(writable, write)).toBeUndefined();
    expect(skipReason(planRun(specs, {}), write)).toBeUndefined();
  });
});

describe("`pnpm contract:live`", () => {
  /** turbo's plan (`--dry=json`, nothing runs) for `task` in the API's spec package, with `env` set. */
  async function plan(spec: LoadedSpec, task: string, env: Record<string, string>) {
    const manifest = join(dirname(spec.api.specPath), "package.json");
    const { name } = JSON.parse(await readFile(manifest, "utf8")) as { name: string };
    const { stdout } = await run(
      join(repoRoot, "node_modules", ".bin", "turbo"),
      ["run", task, `--filter=${name}`, "--dry=json"],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, TURBO_TELEMETRY_DISABLED: "1", ...env },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const planned = (JSON.parse(stdout) as { tasks: DryTask[] }).tasks.find(
      (each) => each.taskId === `${name}#${task}`,
    );
    if (!planned) throw new Error(`turbo planned no ${task} for ${name}`);
    return planned;
  }
  const passedThrough = (task: DryTask) =>
    (task.environmentVariables.passthrough ?? []).map((entry) => entry.split("=")[0]);

  test.for(specs.map((spec) => [spec.api.name, spec] as const))(
    "in %s's spec package is never cached and gets the target and that API's credentials, no other API's",
    async ([, spec]) => {
      const every = Object.fromEntries(specs.flatMap(credentialVariables).map((variable) => [variable, "secret"]));
      const live = { CONTRACT_TARGET: target, ...every };
      const liveRun = await plan(spec, "contract:live", live);
      expect(liveRun.resolvedTaskDefinition.cache).toBe(false);
      expect(passedThrough(liveRun).sort()).toEqual(["CONTRACT_TARGET", ...credentialVariables(spec)].sort());

      // The cached run against the mocks gets neither, so with them set it keeps its cache key.
      const mockRun = await plan(spec, "test:contract", {});
      const withTarget = await plan(spec, "test:contract", live);
      expect(withTarget.hash).toBe(mockRun.hash);
      expect([...withTarget.environmentVariables.configured, ...passedThrough(withTarget)]).toEqual([]);
    },
  );
});
