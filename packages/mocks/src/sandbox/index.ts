/** The stateful stores, by API name. An API without one can only be mocked from its examples. */

import { DEFAULT_JOB_DELAY_MS, type SandboxOptions } from "../options.ts";
import { directscaleSandbox } from "./directscale.ts";
import type { SandboxContext, SandboxStore } from "./server.ts";
import { voucherifySandbox } from "./voucherify.ts";

const STORES: Record<string, (context: SandboxContext) => SandboxStore> = {
  directscale: directscaleSandbox,
  voucherify: voucherifySandbox,
};

/** The store for `name`, and the context it reads (its `baseUrl` is set once the mock listens). */
export function createSandboxStore(name: string, options: SandboxOptions) {
  const create = STORES[name];
  if (!create) {
    throw new Error(`no stateful sandbox for "${name}" (there is one for: ${Object.keys(STORES).join(", ")})`);
  }
  const jobDelayMs = options.jobDelayMs ?? DEFAULT_JOB_DELAY_MS;
  if (!Number.isInteger(jobDelayMs) || jobDelayMs < 0) {
    throw new Error(`stateful.jobDelayMs must be a whole number of ms, got ${jobDelayMs}`);
  }
  const context: SandboxContext = { baseUrl: "", jobDelayMs, fixtures: options.fixtures ?? {}, now: () => Date.now() };
  return { store: create(context), context };
}
