/**
 * An API with no client package still gets its cases: a plain openapi-fetch client sends
 * the credentials its spec's securitySchemes ask for, read from `<API>_<SCHEME>` variables.
 * Checked here by treating the two real APIs as if they had no package.
 */
import { startMock } from "@commerce-api/mocks";
import { getApi } from "@commerce-api/specs";
import { describe, expect, test } from "vitest";
import { exampleCases } from "../src/cases.ts";
import { createContractClient } from "../src/clients.ts";
import { send } from "../src/exchange.ts";
import { loadSpec } from "../src/spec.ts";

describe("the plain client for an API without a package", () => {
  test.for<{ name: string; credentials: Record<string, string> }>([
    { name: "directscale", credentials: { DIRECTSCALE_SUBSCRIPTION_KEY: "key" } },
    { name: "voucherify", credentials: { VOUCHERIFY_X_APP_ID: "id", VOUCHERIFY_X_APP_TOKEN: "token" } },
  ])("authenticates to the $name mock as its spec says", async ({ name, credentials }) => {
    const spec = loadSpec(getApi(name));
    await using mock = await startMock(name, { port: 0 });
    const [first] = exampleCases(spec);
    if (!first) throw new Error(`${name} has no cases`);

    const accepted = await send(
      await createContractClient(spec, mock.url, credentials, { plain: true }),
      first.operation,
      first.request,
    );
    expect(accepted.status).toBeLessThan(300);

    const anonymous = await createContractClient(spec, mock.url, {}, { plain: true });
    expect((await send(anonymous, first.operation, first.request)).status).toBe(401);
  });
});
