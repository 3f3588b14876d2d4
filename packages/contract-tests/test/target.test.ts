/**
 * Where the suite runs: the mocks by default; a live host with CONTRACT_TARGET, for the API
 * CONTRACT_API names or else the APIs whose credentials are set, read-only unless
 * CONTRACT_ALLOW_WRITES=1.
 */
import { listApis } from "@commerce-api/specs";
import { describe, expect, test } from "vitest";
import { loadSpec } from "../src/spec.ts";
import { planRun, skipReason } from "../src/target.ts";

const specs = listApis().map((api) => loadSpec(api));
const names = (plan: ReturnType<typeof planRun>) => plan.apis.map(({ spec }) => spec.api.name);
const operation = (operationId: string) => {
  const found = specs.flatMap((spec) => spec.operations).find((candidate) => candidate.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId}`);
  return found;
};

describe("the run plan", () => {
  test("tests every API against its mock when no CONTRACT_TARGET is set, even with credentials around", () => {
    const plan = planRun(specs, { DIRECTSCALE_API_KEY: "real-key" });
    expect(plan.mode).toBe("mock");
    expect(names(plan)).toEqual(["directscale", "voucherify"]);
    expect(plan.apis[0]?.credentials).toEqual({ DIRECTSCALE_API_KEY: "contract-tests" });
  });

  test("runs live only the APIs whose credentials are all set, and says why the others are skipped", () => {
    const plan = planRun(specs, {
      CONTRACT_TARGET: "https://dsapi-stage.directscale.com",
      DIRECTSCALE_API_KEY: "real-key",
      VOUCHERIFY_APP_ID: "only-half",
    });
    expect(plan).toMatchObject({ mode: "live", target: "https://dsapi-stage.directscale.com", allowWrites: false });
    expect(names(plan)).toEqual(["directscale"]);
    expect(plan.apis[0]?.credentials).toEqual({ DIRECTSCALE_API_KEY: "real-key" });
    expect(plan.mode === "live" && plan.skipped).toEqual([
      { name: "voucherify", reason: "VOUCHERIFY_APP_TOKEN not set" },
    ]);
  });

  test("runs live only the API CONTRACT_API names, and refuses when its credentials are missing", () => {
    const env = { CONTRACT_TARGET: "https://api.voucherify.io", CONTRACT_API: "voucherify", DIRECTSCALE_API_KEY: "k" };
    expect(() => planRun(specs, env)).toThrow(
      "CONTRACT_API=voucherify needs VOUCHERIFY_APP_ID and VOUCHERIFY_APP_TOKEN",
    );
    const plan = planRun(specs, { ...env, VOUCHERIFY_APP_ID: "id", VOUCHERIFY_APP_TOKEN: "token" });
    expect(names(plan)).toEqual(["voucherify"]);
  });

  test("refuses a live run with no usable credentials, an unknown API or a target that is not a URL", () => {
    expect(() => planRun(specs, { CONTRACT_TARGET: "https://example.com" })).toThrow(
      "no API has its credentials in the environment (directscale: DIRECTSCALE_API_KEY; voucherify: VOUCHERIFY_APP_ID + VOUCHERIFY_APP_TOKEN)",
    );
    expect(() => planRun(specs, { CONTRACT_TARGET: "https://example.com", CONTRACT_API: "acme" })).toThrow(
      "CONTRACT_API=acme is not an API in redocly.yaml (known: directscale, voucherify)",
    );
    expect(() => planRun(specs, { CONTRACT_TARGET: "dsapi.directscale.com" })).toThrow("must be an http(s) URL");
  });

  test("skips live writes unless CONTRACT_ALLOW_WRITES=1, and operations served by another host", () => {
    const live = { CONTRACT_TARGET: "https://api.voucherify.io", VOUCHERIFY_APP_ID: "id", VOUCHERIFY_APP_TOKEN: "t" };
    const readOnly = planRun(specs, live);
    expect(skipReason(readOnly, operation("listOrders"))).toBeUndefined();
    expect(skipReason(readOnly, operation("createOrder"))).toContain("set CONTRACT_ALLOW_WRITES=1");
    expect(skipReason(readOnly, operation("downloadExport"))).toContain("served by its own host");
    const writable = planRun(specs, { ...live, CONTRACT_ALLOW_WRITES: "1" });
    expect(skipReason(writable, operation("createOrder"))).toBeUndefined();
    expect(skipReason(planRun(specs, {}), operation("createOrder"))).toBeUndefined();
  });
});
