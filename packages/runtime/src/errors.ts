import { redactSecrets } from "./redact.ts";

/** The request an error is about, safe to log: credentials are already redacted. */
export interface RequestSummary {
  method: string;
  /** With credential-carrying query parameters redacted. */
  url: string;
  /** With sensitive header values replaced by `[REDACTED]`. */
  headers: Record<string, string>;
}

/** Base class of every error the clients throw, so one `instanceof` catches them all. */
export class CommerceApiError extends Error {
  override name = "CommerceApiError";
}

export interface ApiErrorInit {
  status: number;
  statusText: string;
  headers: Headers;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  request: RequestSummary | undefined;
}

/** The API answered with a status outside 2xx. */
export class ApiError extends CommerceApiError {
  override name = "ApiError";
  readonly status: number;
  /** The parsed JSON error body (or its text when not JSON), with credentials redacted. */
  readonly body: unknown;
  /** The response headers. */
  readonly headers: Headers;
  /** From the `x-request-id` / `request-id` response header, else the body's `request_id`. */
  readonly requestId: string | undefined;
  /** The request that failed; undefined when a middleware replaced the response. */
  readonly request: RequestSummary | undefined;

  constructor(init: ApiErrorInit) {
    const requestId = requestIdOf(init.headers, init.body);
    super(describe(init, requestId));
    this.status = init.status;
    this.body = init.body;
    this.headers = init.headers;
    this.requestId = requestId;
    this.request = init.request;
  }
}

/** 400 or 422: the request was malformed or failed validation; retrying it unchanged will not help. */
export class BadRequestError extends ApiError {
  override name = "BadRequestError";
}

/** 401 or 403: the key or token is missing, wrong, or lacks the permission. */
export class AuthenticationError extends ApiError {
  override name = "AuthenticationError";
}

/** 404: the resource (or the path) does not exist. */
export class NotFoundError extends ApiError {
  override name = "NotFoundError";
}

/** 429: too many requests; `retryAfterMs` says how long the server asked to wait. */
export class RateLimitError extends ApiError {
  override name = "RateLimitError";
  /** From the `Retry-After` header; undefined when absent or unreadable. */
  readonly retryAfterMs: number | undefined;

  constructor(init: ApiErrorInit) {
    super(init);
    this.retryAfterMs = parseRetryAfter(init.headers.get("retry-after"));
  }
}

/** 5xx: the server (or a gateway in front of it) failed. */
export class ServerError extends ApiError {
  override name = "ServerError";
}

/** No response arrived: DNS, connection refused or reset, TLS failure. `cause` holds the fetch error. */
export class ConnectionError extends CommerceApiError {
  override name = "ConnectionError";
  readonly request: RequestSummary;

  constructor(message: string, request: RequestSummary, options?: ErrorOptions) {
    super(message, options);
    this.request = request;
  }
}

/** No response arrived within `timeoutMs` (on the last attempt). */
export class TimeoutError extends ConnectionError {
  override name = "TimeoutError";
  readonly timeoutMs: number;

  constructor(message: string, request: RequestSummary, timeoutMs: number) {
    super(message, request);
    this.timeoutMs = timeoutMs;
  }
}

/** The ApiError subclass for a status, so callers can `catch` by family. */
export function createApiError(init: ApiErrorInit): ApiError {
  const { status } = init;
  if (status === 400 || status === 422) return new BadRequestError(init);
  if (status === 401 || status === 403) return new AuthenticationError(init);
  if (status === 404) return new NotFoundError(init);
  if (status === 429) return new RateLimitError(init);
  if (status >= 500) return new ServerError(init);
  return new ApiError(init);
}

/**
 * `Retry-After` in milliseconds: either delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Undefined when absent, unreadable or negative.
 */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * What the failed requests were, for building their errors once the body has been read
 * (by `unwrap` after openapi-fetch, or by the fetch itself with `throwOnError`). Keyed by
 * the Response so nothing is kept once the caller drops it; only non-2xx responses are
 * recorded, so the happy path pays nothing.
 */
const failedRequests = new WeakMap<Response, { request: RequestSummary; secrets: readonly string[] }>();

export function recordFailedRequest(response: Response, request: RequestSummary, secrets: readonly string[]): void {
  failedRequests.set(response, { request, secrets });
}

/** The typed ApiError for a non-2xx response whose body has been parsed (JSON, else text). */
export function apiErrorFor(response: Response, parsed: unknown): ApiError {
  const failed = failedRequests.get(response);
  // An empty body (openapi-fetch gives "") is reported as no body.
  let body = parsed === "" ? undefined : parsed;
  if (failed?.secrets.length && body !== undefined) {
    const text = JSON.stringify(body);
    const safe = redactSecrets(text, failed.secrets);
    if (safe !== text) body = JSON.parse(safe);
  }
  return createApiError({
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    body,
    request: failed?.request,
  });
}

type FetchResult = { data?: unknown; error?: unknown; response: Response };
/** The success branch's `data` of an openapi-fetch result. */
type DataOf<Result> = Result extends { data: infer Data; error?: never } ? Data : never;

/**
 * The `data` of an openapi-fetch call, or throws the typed ApiError for its status:
 * `const order = await unwrap(vf.GET("/v1/orders/{orderId}", { params }))`.
 */
export async function unwrap<Result extends FetchResult>(result: Result | Promise<Result>): Promise<DataOf<Result>> {
  const { data, error, response } = await result;
  if (error !== undefined || !response.ok) throw apiErrorFor(response, error);
  return data as DataOf<Result>;
}

function requestIdOf(headers: Headers, body: unknown): string | undefined {
  const fromHeader = headers.get("x-request-id") ?? headers.get("request-id");
  if (fromHeader) return fromHeader;
  const fromBody = isRecord(body) ? body.request_id : undefined;
  return typeof fromBody === "string" && fromBody !== "" ? fromBody : undefined;
}

/**
 * The API's own explanation: Voucherify and APIM use `message`, DirectScale `Message`, and
 * RFC 9457 problem details (what the Prism mocks answer) `detail` / `title`.
 */
function apiMessageOf(body: unknown): string | undefined {
  if (typeof body === "string") return body.trim().slice(0, 200) || undefined;
  if (!isRecord(body)) return undefined;
  const candidates = [
    body.message,
    body.Message,
    isRecord(body.error) ? body.error.message : undefined,
    body.detail,
    body.title,
  ];
  const message = candidates.find((candidate) => typeof candidate === "string" && candidate !== "");
  const details = typeof body.details === "string" && body.details !== "" ? ` (${body.details})` : "";
  return typeof message === "string" ? message + details : undefined;
}

function describe(init: ApiErrorInit, requestId: string | undefined): string {
  const target = init.request ? `${init.request.method} ${init.request.url} ` : "";
  const status = `${init.status}${init.statusText ? ` ${init.statusText}` : ""}`;
  const apiMessage = apiMessageOf(init.body);
  return `${target}failed with ${status}${apiMessage ? `: ${apiMessage}` : ""}${requestId ? ` [request id ${requestId}]` : ""}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
