import { type Client, type ClientOptions, createApiClient } from "@commerce-api/runtime";
import { defaultEnvironment, type Environment, environments, type paths } from "./generated/openapi.ts";
import { packageVersion } from "./version.ts";

export interface DirectScaleClientOptions extends ClientOptions<Environment> {
  /** Your subscription key from the DirectScale developer portal, sent as `Ocp-Apim-Subscription-Key`. */
  apiKey: string;
}

/** An openapi-fetch client for the DirectScale Public API. */
export type DirectScaleClient = Client<paths>;

const FACTORY = "createDirectScaleClient";

export function createDirectScaleClient(options: DirectScaleClientOptions): DirectScaleClient {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${FACTORY}: options are required: { apiKey }`);
  }
  if (typeof options.apiKey !== "string" || options.apiKey === "") {
    throw new TypeError(`${FACTORY}: apiKey is required (your subscription key from the DirectScale developer portal)`);
  }
  return createApiClient<paths, Environment>(options, {
    factoryName: FACTORY,
    packageName: "@commerce-api/directscale",
    packageVersion,
    environments,
    defaultEnvironment,
    authHeaders: { "Ocp-Apim-Subscription-Key": options.apiKey },
    sensitiveHeaders: ["Ocp-Apim-Subscription-Key"],
    // The spec's array query parameter (`packageStatuses`) is `style: form, explode: false`:
    // one parameter with comma-joined values, not openapi-fetch's default of one per value.
    querySerializer: { array: { style: "form", explode: false } },
  });
}
