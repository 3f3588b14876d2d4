import { type Client, type ClientOptions, createApiClient } from "@commerce-api/runtime";
import { type AsyncActions, asyncActionsHelpers } from "./async-actions.ts";
import { defaultEnvironment, type Environment, environments, type paths } from "./generated/openapi.ts";
import { type Orders, ordersHelpers } from "./orders.ts";
import { packageVersion } from "./version.ts";

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
export type VoucherifyClient = Client<paths> & {
  orders: Orders;
  asyncActions: AsyncActions;
};

const FACTORY = "createVoucherifyClient";

export function createVoucherifyClient(options: VoucherifyClientOptions): VoucherifyClient {
  const client = createApiClient<paths, Environment>(options, {
    factoryName: FACTORY,
    packageName: "@commerce-api/voucherify",
    packageVersion,
    environments,
    defaultEnvironment,
    authHeaders: authHeaders(options),
    sensitiveHeaders: ["X-App-Token"],
  });
  return Object.assign(client, { orders: ordersHelpers(client), asyncActions: asyncActionsHelpers(client) });
}

function authHeaders(options: VoucherifyClientOptions): Record<string, string> {
  const fail = (message: string): never => {
    throw new TypeError(`${FACTORY}: ${message}`);
  };
  const { appId, appToken, accessToken } = options ?? {};
  for (const [name, value] of Object.entries({ appId, appToken, accessToken })) {
    if (value !== undefined && (typeof value !== "string" || value === "")) fail(`${name} must be a non-empty string`);
  }
  if (accessToken !== undefined) {
    if (appId ?? appToken) fail("give either appId and appToken, or accessToken, not both");
    return { Authorization: `Bearer ${accessToken}` };
  }
  if (appId && appToken) return { "X-App-Id": appId, "X-App-Token": appToken };
  return fail(
    appId
      ? "appToken is required when appId is given"
      : appToken
        ? "appId is required when appToken is given"
        : "appId and appToken, or accessToken, are required",
  );
}
