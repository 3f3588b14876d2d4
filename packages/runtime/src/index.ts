export type { Client, Middleware } from "openapi-fetch";
export {
  type ApiConfig,
  type ClientOptions,
  createApiClient,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
} from "./client.ts";
export type { CredentialScheme } from "./credentials.ts";
export {
  ApiError,
  type ApiErrorInit,
  AuthenticationError,
  BadRequestError,
  CommerceApiError,
  ConnectionError,
  createApiError,
  NotFoundError,
  RateLimitError,
  type RequestSummary,
  ServerError,
  TimeoutError,
  unwrap,
} from "./errors.ts";
export { type QueryStyle, type QueryStyles, queryStyleMiddleware } from "./query.ts";
export { REDACTED, redactHeaders, sensitiveHeaderSet } from "./redact.ts";
export { type Fetch, sleep } from "./retry.ts";
