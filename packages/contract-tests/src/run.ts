/**
 * The run's settings, read once from the environment: which redocly.yaml (CONTRACT_CONFIG
 * points the suite at a scratch copy, e.g. a deliberately broken spec from src/mutants.ts;
 * the real specs are never touched), where reports go, and the plan (mock or live, which
 * APIs: CONTRACT_API names one, as each spec package's run does, else every API in the
 * list). Shared by the test files and the coverage reporter.
 */
import { fileURLToPath } from "node:url";
import { type ApiDefinition, defaultConfigPath, getApi, listApis } from "@commerce-api/specs";
import { readBaseline } from "./baseline.ts";
import { loadSpec } from "./spec.ts";
import { planRun, type RunPlan } from "./target.ts";

export const configPath = process.env.CONTRACT_CONFIG || defaultConfigPath;
export const reportsDir = process.env.CONTRACT_REPORTS_DIR || fileURLToPath(new URL("../reports", import.meta.url));

/** CONTRACT_CLIENT=plain: every API through the runtime's client configured from its spec, even one with a package (not linked yet when a baseline is recorded). */
export const plainClient = process.env.CONTRACT_CLIENT === "plain";
/** CONTRACT_SEED: the property tests' fast-check seed, for a run that must repeat itself (recording a baseline). */
export const propertySeed = process.env.CONTRACT_SEED ? Number(process.env.CONTRACT_SEED) : undefined;

/**
 * The API's contract baseline as this run applies it: none live (it is about the vendor's
 * document as the mock serves it; a live host answers for itself), none with
 * CONTRACT_BASELINE=off (recording one).
 */
export function currentBaseline(api: ApiDefinition): Map<string, string> {
  if (currentPlan().mode === "live" || process.env.CONTRACT_BASELINE === "off") return new Map();
  return readBaseline(api);
}

let plan: RunPlan | undefined;
/** The plan for this run, read once per process. */
export function currentPlan(): RunPlan {
  if (!plan) {
    // Only the named API's bundle is read: a spec package's run needs no other API built.
    const chosen = process.env.CONTRACT_API?.trim();
    const apis = chosen ? [getApi(chosen, configPath)] : listApis(configPath);
    plan = planRun(
      apis.map((api) => loadSpec(api)),
      process.env,
    );
  }
  return plan;
}
