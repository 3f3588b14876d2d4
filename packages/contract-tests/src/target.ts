/**
 * What a run tests, from the environment. By default every API in redocly.yaml against
 * its own in-process mock, with dummy credentials. With CONTRACT_TARGET=<url> the same
 * suite goes to a real host instead: the API named by CONTRACT_API, or else every API
 * whose credentials are in the environment; write operations only with
 * CONTRACT_ALLOW_WRITES=1.
 */
import { credentialVariables, mockCredentialVariables } from "./clients.ts";
import { type LoadedSpec, type Operation, READ_ONLY_METHODS } from "./spec.ts";

export type Env = Record<string, string | undefined>;

export interface PlannedApi {
  spec: LoadedSpec;
  credentials: Record<string, string>;
}

export type RunPlan =
  | { mode: "mock"; apis: PlannedApi[] }
  | {
      mode: "live";
      /** The host every selected API is called at. */
      target: string;
      allowWrites: boolean;
      apis: PlannedApi[];
      /** APIs not run, and why (their credentials are not set). */
      skipped: { name: string; reason: string }[];
    };

const MOCK_CREDENTIAL = "contract-tests";

export function planRun(specs: LoadedSpec[], env: Env): RunPlan {
  const target = env.CONTRACT_TARGET?.trim();
  if (!target) {
    return {
      mode: "mock",
      apis: specs.map((spec) => ({
        spec,
        credentials: Object.fromEntries(mockCredentialVariables(spec).map((name) => [name, MOCK_CREDENTIAL])),
      })),
    };
  }
  if (!URL.canParse(target) || !/^https?:$/.test(new URL(target).protocol)) {
    throw new Error(`CONTRACT_TARGET must be an http(s) URL, got "${target}"`);
  }
  const missing = (spec: LoadedSpec) => credentialVariables(spec).filter((name) => !env[name]);
  const withCredentials = (spec: LoadedSpec): PlannedApi => ({
    spec,
    credentials: Object.fromEntries(credentialVariables(spec).map((name) => [name, env[name] as string])),
  });
  const chosen = env.CONTRACT_API?.trim();
  let selected: LoadedSpec[];
  if (chosen) {
    const spec = specs.find((candidate) => candidate.api.name === chosen);
    if (!spec) {
      const known = specs.map((candidate) => candidate.api.name).join(", ");
      throw new Error(`CONTRACT_API=${chosen} is not an API in redocly.yaml (known: ${known})`);
    }
    const absent = missing(spec);
    if (absent.length > 0) throw new Error(`CONTRACT_API=${chosen} needs ${absent.join(" and ")} in the environment`);
    selected = [spec];
  } else {
    selected = specs.filter((spec) => missing(spec).length === 0);
    if (selected.length === 0) {
      const needs = specs.map((spec) => `${spec.api.name}: ${credentialVariables(spec).join(" + ")}`).join("; ");
      throw new Error(`CONTRACT_TARGET is set but no API has its credentials in the environment (${needs})`);
    }
  }
  return {
    mode: "live",
    target,
    allowWrites: env.CONTRACT_ALLOW_WRITES === "1",
    apis: selected.map(withCredentials),
    skipped: specs
      .filter((spec) => !selected.includes(spec))
      .map((spec) => ({
        name: spec.api.name,
        reason: chosen ? `CONTRACT_API=${chosen}` : `${missing(spec).join(" and ")} not set`,
      })),
  };
}

/** Why an operation is not called in this run, or undefined when it is. */
export function skipReason(plan: RunPlan, operation: Operation): string | undefined {
  if (plan.mode === "mock") return undefined;
  if (operation.hasOwnServers)
    return `${operation.operationId} is served by its own host (path-level servers), not CONTRACT_TARGET`;
  if (!plan.allowWrites && !READ_ONLY_METHODS.has(operation.method)) {
    return `${operation.operationId} writes (${operation.method.toUpperCase()}); set CONTRACT_ALLOW_WRITES=1 to run it live`;
  }
  return undefined;
}
