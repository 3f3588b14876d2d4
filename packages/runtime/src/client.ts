import createClient, { type Client, type Middleware, type QuerySerializerOptions } from "openapi-fetch";
import { type CredentialScheme, resolveCredentials } from "./credentials.ts";
import { queryCredentialsMiddleware } from "./query.ts";
import { sensitiveHeaderSet } from "./redact.ts";
import { createRetryingFetch, type Fetch } from "./retry.ts";

/** The options every client takes, besides its own credentials. */
export interface ClientOptions<Environment extends string> {
  /** The API's root URL, e.g. a mock's `http://127.0.0.1:4010`. Give this or `environment`, not both. */
  baseUrl?: string;
  /** A host listed in the spec's `servers`; defaults to the first one listed there. */
  environment?: Environment;
  /** The fetch to send requests with; defaults to `globalThis.fetch`. Inject a fake one in tests. */
  fetch?: Fetch;
  /** Per attempt, until the response headers arrive. Default 60 000 ms; `Infinity` disables it. */
  timeoutMs?: number;
  /** Extra attempts after a network error, timeout, 408, 429 or 5xx. Default 2; 0 disables retries. */
  maxRetries?: number;
  /** Sent with every request, e.g. `X-Voucherify-Channel`. Credentials given as options win over these. */
  headers?: Record<string, string>;
  /** Your app's identifier, put in front of the client's own `User-Agent`, e.g. `my-shop/1.4`. */
  userAgent?: string;
  /** openapi-fetch middleware, registered in order (`client.use(...)`). */
  middleware?: Middleware[];
  /** Throw the typed ApiError for a non-2xx response instead of returning `{ error }`. Default false. */
  throwOnError?: boolean;
}

/** What a generated client package tells the runtime about its API. */
export interface ApiConfig<Environment extends string> {
  /** The factory's name, used to prefix option errors: `createVoucherifyClient: ...`. */
  factoryName: string;
  /** npm name and version of the client package, for the `User-Agent`. */
  packageName: string;
  packageVersion: string;
  /** The spec's servers by `x-environment` name, and the one used by default. */
  environments: Readonly<Record<Environment, string>>;
  defaultEnvironment: Environment;
  /**
   * The spec's security schemes, each with the client option(s) carrying it: the client
   * checks the options against `security` and sends every credential it is given.
   */
  credentials?: readonly CredentialScheme[];
  /** The alternatives the spec accepts, each a list of scheme names sent together; empty: none needed. */
  security?: readonly (readonly string[])[];
  /** Credential headers built by the client itself, for a client not described by `credentials`. */
  authHeaders?: Record<string, string>;
  /** Headers carrying credentials, redacted in errors (beyond `Authorization`, `Cookie` and those of `credentials`). */
  sensitiveHeaders?: readonly string[];
  /** How the spec's query parameters are serialized, when not openapi-fetch's default (exploded arrays). */
  querySerializer?: QuerySerializerOptions;
  /**
   * The client's own openapi-fetch middleware, before the caller's: a generated client's
   * `queryStyleMiddleware`, when its spec's query parameters have their own `style`/`explode`.
   */
  middleware?: Middleware[];
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 2;

/**
 * An openapi-fetch client for one API, with the credentials and User-Agent set on every
 * request, and timeouts, retries and typed errors in the fetch it sends with.
 */
export function createApiClient<Paths extends {}, Environment extends string>(
  // And the credential options `config.credentials` names (`apiKey`, `token`, ...).
  options: ClientOptions<Environment>,
  config: ApiConfig<Environment>,
): Client<Paths> {
  const fail = (message: string): never => {
    throw new TypeError(`${config.factoryName}: ${message}`);
  };
  if (typeof options !== "object" || options === null) fail("options are required");
  const credentials = resolveCredentials(
    options as Record<string, unknown>,
    config.credentials ?? [],
    config.security ?? [],
    fail,
  );
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs !== "number" || !(timeoutMs > 0)) {
    fail(`timeoutMs must be a positive number of milliseconds (got ${String(options.timeoutMs)})`);
  }
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    fail(`maxRetries must be a whole number >= 0 (got ${String(options.maxRetries)})`);
  }
  const fetch = options.fetch ?? globalThis.fetch;

  const ownAgent = `${config.packageName}/${config.packageVersion}`;
  const client = createClient<Paths>({
    baseUrl: resolveBaseUrl(options, config, fail),
    querySerializer: config.querySerializer,
    headers: {
      ...options.headers,
      ...credentials.headers,
      ...config.authHeaders,
      "User-Agent": options.userAgent ? `${options.userAgent} ${ownAgent}` : ownAgent,
    },
    fetch: createRetryingFetch({
      fetch,
      timeoutMs,
      maxRetries,
      throwOnError: options.throwOnError === true,
      sensitiveHeaders: sensitiveHeaderSet([...Object.keys(credentials.headers), ...(config.sensitiveHeaders ?? [])]),
      sensitiveQueryParams: new Set(Object.keys(credentials.query)),
    }),
  });
  if (config.middleware) client.use(...config.middleware);
  if (Object.keys(credentials.query).length > 0) client.use(queryCredentialsMiddleware(credentials.query));
  if (options.middleware) client.use(...options.middleware);
  return client;
}

function resolveBaseUrl<Environment extends string>(
  options: ClientOptions<Environment>,
  config: ApiConfig<Environment>,
  fail: (message: string) => never,
): string {
  const { baseUrl, environment } = options;
  if (baseUrl !== undefined && environment !== undefined) {
    return fail(
      `give either baseUrl or environment, not both (got baseUrl "${baseUrl}", environment "${environment}")`,
    );
  }
  if (baseUrl !== undefined) {
    if (typeof baseUrl !== "string" || !URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
      return fail(`baseUrl must be an absolute http(s) URL (got ${JSON.stringify(baseUrl)})`);
    }
    return baseUrl;
  }
  const name = environment ?? config.defaultEnvironment;
  if (!Object.hasOwn(config.environments, name)) {
    const known = Object.keys(config.environments).join(", ");
    return fail(`unknown environment ${JSON.stringify(name)}; expected one of: ${known}`);
  }
  const url = config.environments[name];
  if (URL.canParse(url)) return url;
  // A relative server URL is relative to where the spec is served: the page, in a browser.
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  if (page && URL.canParse(url, page)) return new URL(url, page).href;
  return fail(
    `the environment ${JSON.stringify(name)} is the relative URL ${JSON.stringify(url)} in the spec's servers: give baseUrl, the API's absolute root URL`,
  );
}
