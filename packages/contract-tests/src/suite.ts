/**
 * What every contract test file shares: one target per API per file (its mock, started in
 * beforeAll and closed in afterAll, or the live host), the API's client and its schema
 * validator.
 */
import { startMock } from "@commerce-api/mocks";
import { afterAll, beforeAll } from "vitest";
import { type ContractClient, createContractClient } from "./clients.ts";
import { configPath, currentPlan, plainClient } from "./run.ts";
import { createValidator, type SchemaValidator } from "./schema.ts";
import type { PlannedApi } from "./target.ts";

export interface Target {
  readonly url: string;
  readonly client: ContractClient;
  readonly validator: SchemaValidator;
}

/** Registers the hooks that start (and stop) the API's mock for the current file; usable once they ran. */
export function useTarget(planned: PlannedApi): Target {
  const { spec } = planned;
  const run = currentPlan();
  let state: { url: string; client: ContractClient; close?: () => Promise<void> } | undefined;
  const validator = createValidator(spec.document, spec.api.name);
  beforeAll(async () => {
    if (run.mode === "live") {
      state = { url: run.target, client: await createContractClient(spec, run.target, planned.credentials) };
      return;
    }
    const mock = await startMock(spec.api.name, { port: 0, configPath, specPath: spec.path });
    state = {
      url: mock.url,
      client: await createContractClient(spec, mock.url, planned.credentials, { plain: plainClient }),
      close: mock.close,
    };
  });
  afterAll(() => state?.close?.());
  const ready = () => {
    if (!state) throw new Error(`${spec.api.name}: the target is used before its beforeAll hook ran`);
    return state;
  };
  return {
    get url() {
      return ready().url;
    },
    get client() {
      return ready().client;
    },
    validator,
  };
}
