/**
 * An API with no client package still gets its cases: the runtime's client, configured from
 * the spec as a generated one is, sends the credentials its securitySchemes ask for, read from
 * `<API>_<OPTION>` variables. Checked here by treating every API in the list as if it had no package.
 */
import { startMock } from "@commerce-api/mocks";
import { listApis } from "@commerce-api/specs";
import createClient from "openapi-fetch";
import { describe, expect, test } from "vitest";
import { exampleCases } from "../src/cases.ts";
import { type ContractClient, createContractClient, credentialVariables } from "../src/clients.ts";
import { send } from "../src/exchange.ts";
import { loadSpec } from "../src/spec.ts";

describe("the plain client for an API without a package", () => {
  test.for(listApis())("authenticates to the $name mock as its spec says", async (api) => {
    const { name } = api;
    const spec = loadSpec(api);
    const credentials = Object.fromEntries(credentialVariables(spec).map((variable) => [variable, "any-value"]));
    await using mock = await startMock(name, { port: 0 });
    const [first] = exampleCases(spec);
    if (!first) throw new Error(`${name} has no cases`);

    const accepted = await send(
      await createContractClient(spec, mock.url, credentials, { plain: true }),
      first.operation,
      first.request,
    );
    expect(accepted.status).toBeLessThan(300);

    // Typed for no paths, it is an untyped ContractClient at run time.
    const anonymous = createClient({ baseUrl: mock.url }) as ContractClient;
    expect((await send(anonymous, first.operation, first.request)).status).toBe(401);
  });
});
