/**
 * The one request per API that every mock and client figure sends, derived from its spec the
 * way the docs' samples are (packages/docs/src/code-samples.ts): the spec's first GET, with
 * its examples' values and the credentials it asks for (placeholders: a mock takes any). A
 * read, so a load run changes nothing, and the same request is used for ours and every reference.
 */
import { readFileSync } from "node:fs";
import { firstCall, type SampleRequest, sampleRequest } from "@commerce-api/docs/code-samples";
import { type ApiDefinition, listApis } from "@commerce-api/specs";

export type { SampleRequest };

/** The API's sample request; an API whose spec has no operation fails here, by name. */
export function sampleRequestOf(api: ApiDefinition): SampleRequest {
  const document = JSON.parse(readFileSync(api.bundlePath, "utf8"));
  const target = firstCall(document);
  if (!target) throw new Error(`${api.specFile} has no operation for the bench's sample request`);
  return sampleRequest(document, api, target);
}

/**
 * What a stateful mock starts with in the benchmarks: 100 orders for each API that has a
 * sandbox (packages/mocks/src/sandbox/), in the shape its store keeps, so the sample request
 * reads a full store. An API without one is benched stateless only.
 */
export const sandboxFixtures: Record<string, Record<string, unknown[]>> = {
  voucherify: {
    orders: Array.from({ length: 100 }, (_, index) => ({
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

/** Every API in redocly.yaml with its sample request. */
export function apisWithSamples(): { api: ApiDefinition; sample: SampleRequest }[] {
  return listApis().map((api) => ({ api, sample: sampleRequestOf(api) }));
}

/**
 * The JSON the stubbed fetch and the plain local server answer with, whatever was asked: a
 * few fields and a nested list, so every variant does a typical small parse.
 */
export const fixedAnswer = JSON.stringify([
  { ID: 1, OrderNumber: 1001, Status: "Submitted", Items: [{ ItemId: 7, Quantity: 2, Sku: "SKU-7" }] },
]);
