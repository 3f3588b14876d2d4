/**
 * The run's settings, read once from the environment: which redocly.yaml (CONTRACT_CONFIG
 * points the suite at a scratch copy, e.g. a deliberately broken spec from src/mutants.ts;
 * the real specs are never touched), where reports go, and the plan (mock or live, which
 * APIs: CONTRACT_API names one, as each spec package's run does, else every API in the
 * list). Shared by the test files and the coverage reporter.
 */
import { fileURLToPath } from "node:url";
import { defaultConfigPath, getApi, listApis } from "@commerce-api/specs";
import { loadSpec } from "./spec.ts";
import { planRun, type RunPlan } from "./target.ts";

export const configPath = process.env.CONTRACT_CONFIG || defaultConfigPath;
export const reportsDir = process.env.CONTRACT_REPORTS_DIR || fileURLToPath(new URL("../reports", import.meta.url));

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
