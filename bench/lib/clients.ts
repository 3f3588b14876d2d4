/**
 * The sample call of each API made three ways: with its client package (found from the list:
 * `x-commerce-api.package`, `create<Name>Client`), with bare openapi-fetch, and as a
 * hand-written `fetch`. All three send the same request (requests.ts) through the `fetch`
 * they are given and parse the JSON answer.
 */
import { type ApiDefinition, clientPackageDir, listApis } from "@commerce-api/specs";
import createClient from "openapi-fetch";
import { type SampleRequest, sampleRequestOf } from "./requests.ts";

/** The shape of fetch every variant is given (what openapi-fetch and our runtime call). */
export type Fetch = (request: Request) => Promise<Response>;
export type Call = () => Promise<unknown>;

export type Variant = "ours" | "openapi-fetch" | "fetch";

export const variantLabels: Record<Variant, string> = {
  ours: "ours",
  "openapi-fetch": "bare openapi-fetch",
  fetch: "hand-written fetch",
};

export interface ClientCase {
  name: string;
  calls(fetch: Fetch, baseUrl: string): Record<Variant, Call>;
}

/** Data or a thrown error, the way a caller would use each variant. */
function dataOf(result: { data?: unknown; error?: unknown; response: Response }): unknown {
  if (!result.response.ok) throw new Error(`the sample call answered ${result.response.status}`);
  return result.data;
}

function handWritten(fetch: Fetch, baseUrl: string, sample: SampleRequest): Call {
  return async () => {
    // `fetch(url, init)` builds this Request itself; building it here lets a stubbed
    // fetch stand in without making the hand-written call look cheaper than it is.
    const response = await fetch(new Request(`${baseUrl}${sample.url}`, { headers: sample.headers }));
    if (!response.ok) throw new Error(`the sample call answered ${response.status}`);
    return response.json();
  };
}

/** An openapi-fetch client with the sample's path as data (the typed call compiles in each package's tests). */
interface UntypedClient {
  GET(path: string, init: { params: SampleRequest["params"] }): Promise<{ data?: unknown; response: Response }>;
}
type Factory = (options: Record<string, unknown>) => UntypedClient;

async function clientCase(api: ApiDefinition): Promise<ClientCase> {
  const module = (await import(api.packageName)) as Record<string, unknown>;
  const factory = module[api.factoryName];
  if (typeof factory !== "function") throw new Error(`${api.packageName} does not export ${api.factoryName}`);
  const sample = sampleRequestOf(api);
  const init = { params: sample.params };
  return {
    name: api.name,
    calls(fetch, baseUrl) {
      const ours = (factory as Factory)({ ...sample.options, baseUrl, fetch });
      const bare = createClient({ baseUrl, fetch, headers: sample.headers }) as unknown as UntypedClient;
      return {
        ours: async () => dataOf(await ours.GET(sample.path, init)),
        "openapi-fetch": async () => dataOf(await bare.GET(sample.path, init)),
        fetch: handWritten(fetch, baseUrl, sample),
      };
    },
  };
}

/** One case per API in the list that has a client package (a devDependency of the bench). */
export async function clientCases(): Promise<ClientCase[]> {
  return Promise.all(
    listApis()
      .filter((api) => clientPackageDir(api) !== undefined)
      .map(clientCase),
  );
}
