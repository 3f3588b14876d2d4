import type { ClientOptions } from "@commerce-api/runtime";
import { type AsyncActions, asyncActionsHelpers } from "./async-actions.ts";
import { createVoucherifyClient as createClientCore } from "./generated/client.ts";
import type { Environment } from "./generated/openapi.ts";
import { type Orders, ordersHelpers } from "./orders.ts";

/** The project's application keys (Project settings, Application keys), sent as X-App-Id / X-App-Token. */
interface ApplicationKeys {
  appId: string;
  appToken: string;
  accessToken?: undefined;
}
/** An OAuth 2.0 access token (client-credentials grant), sent as `Authorization: Bearer`. */
interface OAuthToken {
  accessToken: string;
  appId?: undefined;
  appToken?: undefined;
}

export type VoucherifyClientOptions = ClientOptions<Environment> & (ApplicationKeys | OAuthToken);

/** An openapi-fetch client for the Voucherify API, with the order workflows beside it. */
export type VoucherifyClient = ReturnType<typeof createClientCore> & {
  orders: Orders;
  asyncActions: AsyncActions;
};

/**
 * The generated client (src/generated/client.ts: credentials, hosts, retries) with the order
 * and async-action helpers on it. One credential set at a time: the keys and a token together
 * would leave which one Voucherify honours to chance.
 */
export function createVoucherifyClient(options: VoucherifyClientOptions): VoucherifyClient {
  if (options?.accessToken !== undefined && (options.appId !== undefined || options.appToken !== undefined)) {
    throw new TypeError("createVoucherifyClient: give either appId and appToken, or accessToken, not both");
  }
  const client = createClientCore(options);
  return Object.assign(client, { orders: ordersHelpers(client), asyncActions: asyncActionsHelpers(client) });
}
