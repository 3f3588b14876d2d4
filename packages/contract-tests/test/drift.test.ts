/**
 * The client types in each package are what a fresh generation from the spec gives; a
 * spec edited without `pnpm generate` fails here with the command to run.
 */
import { existsSync } from "node:fs";
import { expect, test } from "vitest";
import { hasClientPackage } from "../src/clients.ts";
import { checkDrift } from "../src/drift.ts";
import { configPath, currentPlan } from "../src/run.ts";

// An API without a client package has no generated types to compare.
const withTypes = currentPlan()
  .apis.map(({ spec }) => spec.api)
  .filter((api) => hasClientPackage(api) || existsSync(api.typesPath));

test.skipIf(withTypes.length === 0)(
  `the generated client types match a fresh generation from the spec (${withTypes.map((api) => api.name).join(", ")})`,
  async () => {
    const { stale, message } = await checkDrift(
      configPath,
      withTypes.map((api) => api.name),
    );
    expect(stale, message).toBe(false);
  },
);
