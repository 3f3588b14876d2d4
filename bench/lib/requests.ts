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

/**
 * What a stateful mock starts with in the benchmarks: 100 orders per API, among them the one
 * the sample request reads (Voucherify's by id; DirectScale's packages are in warehouse 1).
 */
export const sandboxFixtures: Record<string, Record<string, unknown[]>> = {
  voucherify: {
    orders: Array.from({ length: 100 }, (_, index) => ({
      ...(index === 0 && { id: voucherifyOrderId }),
      source_id: `BENCH-${index + 1}`,
      status: "PAID",
      amount: 1000 + index,
    })),
  },
  directscale: {
    orders: Array.from({ length: 100 }, (_, index) => ({
      CustomerId: String(index + 1),
      ShipMethodId: 6,
      StoreId: 3,
      CurrencyCode: "usd",
      WarehouseId: index % 10 === 0 ? 1 : 2,
      ShippingAddress: { Street1: "350 S 400 W", City: "Lindon", Region: "UT", PostalCode: "84042", CountryCode: "us" },
      Items: [{ ItemId: 30, Quantity: 1 }],
      Payments: [{ Amount: 10, CurrencyCode: "usd", MerchantId: 99 }],
    })),
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
