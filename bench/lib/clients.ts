/**
 * The sample call of each API made three ways: with our client, with bare openapi-fetch on
 * the same generated types, and as a hand-written `fetch`. All three send the same request
 * (requests.ts) through the `fetch` they are given and parse the JSON answer.
 */
import { createDirectScaleClient, type paths as DirectScalePaths } from "@commerce-api/directscale";
import { createVoucherifyClient, type paths as VoucherifyPaths } from "@commerce-api/voucherify";
import createClient from "openapi-fetch";
import { credentials, type SampleRequest, sampleRequests, voucherifyOrderId } from "./requests.ts";

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
    const response = await fetch(new Request(`${baseUrl}${sample.path}`, { headers: sample.headers }));
    if (!response.ok) throw new Error(`the sample call answered ${response.status}`);
    return response.json();
  };
}

export function clientCases(): ClientCase[] {
  const sampleFor = (name: string) => {
    const sample = sampleRequests[name];
    if (!sample) throw new Error(`no sample request for ${name}`);
    return sample;
  };
  return [
    {
      name: "directscale",
      calls(fetch, baseUrl) {
        const init = { params: { query: { warehouseId: 1 } } };
        const ours = createDirectScaleClient({ ...credentials.directscale, baseUrl, fetch });
        const bare = createClient<DirectScalePaths>({ baseUrl, fetch, headers: sampleFor("directscale").headers });
        return {
          ours: async () => dataOf(await ours.GET("/v1/orders/packages", init)),
          "openapi-fetch": async () => dataOf(await bare.GET("/v1/orders/packages", init)),
          fetch: handWritten(fetch, baseUrl, sampleFor("directscale")),
        };
      },
    },
    {
      name: "voucherify",
      calls(fetch, baseUrl) {
        const init = { params: { path: { orderId: voucherifyOrderId } } };
        const ours = createVoucherifyClient({ ...credentials.voucherify, baseUrl, fetch });
        const bare = createClient<VoucherifyPaths>({ baseUrl, fetch, headers: sampleFor("voucherify").headers });
        return {
          ours: async () => dataOf(await ours.GET("/v1/orders/{orderId}", init)),
          "openapi-fetch": async () => dataOf(await bare.GET("/v1/orders/{orderId}", init)),
          fetch: handWritten(fetch, baseUrl, sampleFor("voucherify")),
        };
      },
    },
  ];
}
