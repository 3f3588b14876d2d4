/**
 * The one request per API that every mock and client figure sends: a read the spec answers
 * with a 200 example, with the credentials the spec asks for. Reads only, so a load run
 * changes nothing, and the same request is used for ours and for every reference.
 */
import { type ApiDefinition, listApis } from "@commerce-api/specs";

export interface SampleRequest {
  /** Path and query string, e.g. `/v1/orders/packages?warehouseId=1`. */
  path: string;
  headers: Record<string, string>;
}

export const credentials = {
  directscale: { apiKey: "bench-subscription-key" },
  voucherify: { appId: "bench-app-id", appToken: "bench-app-token" },
} as const;

export const voucherifyOrderId = "ord_8dF2kQ7mLp3ZrT6vXw1nB0cY";

export const sampleRequests: Record<string, SampleRequest> = {
  directscale: {
    path: "/v1/orders/packages?warehouseId=1",
    headers: { "Ocp-Apim-Subscription-Key": credentials.directscale.apiKey },
  },
  voucherify: {
    path: `/v1/orders/${voucherifyOrderId}`,
    headers: { "X-App-Id": credentials.voucherify.appId, "X-App-Token": credentials.voucherify.appToken },
  },
};

/** Every API in redocly.yaml with its sample request; a new API without one fails here, by name. */
export function apisWithSamples(): { api: ApiDefinition; sample: SampleRequest }[] {
  return listApis().map((api) => {
    const sample = sampleRequests[api.name];
    if (!sample) throw new Error(`bench/lib/requests.ts has no sample request for the API "${api.name}"`);
    return { api, sample };
  });
}

/**
 * The JSON the stubbed fetch and the plain local server answer with, whatever was asked: a
 * few fields and a nested list, so every variant does a typical small parse.
 */
export const fixedAnswer = JSON.stringify([
  { ID: 1, OrderNumber: 1001, Status: "Submitted", Items: [{ ItemId: 7, Quantity: 2, Sku: "SKU-7" }] },
]);
