import {
  apiErrorFor,
  ConnectionError,
  parseRetryAfter,
  type RequestSummary,
  recordFailedRequest,
  TimeoutError,
} from "./errors.ts";
import { redactHeaders, redactUrl, secretsOf } from "./redact.ts";

/**
 * The fetch a client sends with: the platform's signature, narrowed to a Request. The
 * per-attempt abort signal (timeout or the caller's own abort) arrives as `init.signal`,
 * as the platform fetch expects; an injected fetch should honour it.
 */
export type Fetch = (request: Request, init?: RequestInit) => Promise<Response>;

export interface RetryingFetchSettings {
  fetch: Fetch;
  /** Per attempt, until the response headers arrive. `Infinity` disables it. */
  timeoutMs: number;
  /** Extra attempts after the first; 0 disables retries. */
  maxRetries: number;
  /** Throw the typed ApiError for a non-2xx response instead of returning it. */
  throwOnError: boolean;
  /** Lower-cased names of the headers that carry credentials. */
  sensitiveHeaders: ReadonlySet<string>;
  /** Query parameters that carry credentials, beyond the usual names redactUrl always hides. */
  sensitiveQueryParams?: ReadonlySet<string>;
}

/** First backoff delay; each retry doubles it, up to MAX_BACKOFF_MS. */
const INITIAL_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;
/**
 * A `Retry-After` longer than this is not slept through: the caller gets the 429/503
 * (a RateLimitError with `retryAfterMs`) and decides, rather than a call that hangs for minutes.
 */
const MAX_RETRY_AFTER_MS = 60_000;

/** Safe to send twice by HTTP semantics (RFC 9110 §9.2.2). POST and PATCH are not. */
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);

/**
 * A `fetch` for openapi-fetch's `createClient({ fetch })` that adds a per-attempt timeout
 * and retries with exponential backoff. openapi-fetch middleware cannot re-send a request,
 * so this is where retries have to live; each attempt sends a clone of the Request because
 * a body can be read only once.
 */
export function createRetryingFetch(settings: RetryingFetchSettings): Fetch {
  const { fetch, timeoutMs, maxRetries, throwOnError } = settings;

  return async function fetchWithRetries(request, init) {
    const retries = maxRetries > 0 && isSafeToRetry(request) ? maxRetries : 0;
    for (let attempt = 0; ; attempt++) {
      const mayRetry = attempt < retries;
      // A body can be read only once: an attempt that may be followed by another sends a
      // clone. Without a body (GET, DELETE, ...) the same Request is safely sent again.
      const outgoing = mayRetry && request.body !== null ? request.clone() : request;
      let response: Response;
      try {
        response = await fetchWithTimeout(fetch, outgoing, init, timeoutMs);
      } catch (error) {
        if (request.signal.aborted) throw error;
        if (mayRetry) {
          await sleep(backoffDelay(attempt), request.signal);
          continue;
        }
        throw connectionError(request, error, attempt + 1, timeoutMs, settings);
      }
      if (mayRetry && isRetryableStatus(response.status)) {
        const delay = retryDelay(response, attempt);
        if (delay !== undefined) {
          // Free the connection: this body will never be read.
          response.body?.cancel().catch(() => {});
          await sleep(delay, request.signal);
          continue;
        }
      }
      if (!response.ok) {
        const summary = summarize(request, settings);
        const secrets = [
          ...secretsOf(request.headers, settings.sensitiveHeaders),
          ...queryCredentialsOf(request.url, settings.sensitiveQueryParams),
        ];
        recordFailedRequest(response, summary, secrets);
        if (throwOnError) throw apiErrorFor(response, parseBody(await response.text()));
      }
      return response;
    }
  };
}

/**
 * Idempotent methods always; POST and PATCH only with a guard: an `Idempotency-Key`
 * header, or `idempotent: true` in the call's options (openapi-fetch copies unknown
 * call options onto the Request, which is how it reaches here).
 */
function isSafeToRetry(request: Request): boolean {
  return (
    IDEMPOTENT_METHODS.has(request.method) ||
    request.headers.has("idempotency-key") ||
    (request as Request & { idempotent?: unknown }).idempotent === true
  );
}

/** 408 Request Timeout, 429 Too Many Requests, and every 5xx. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** The server's `Retry-After` when it gives one we are willing to wait, else our backoff. */
function retryDelay(response: Response, attempt: number): number | undefined {
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
  if (retryAfter === undefined) return backoffDelay(attempt);
  return retryAfter <= MAX_RETRY_AFTER_MS ? retryAfter : undefined;
}

/**
 * 0.5 s, 1 s, 2 s, ... capped at 8 s, each shortened by up to 25% at random so that
 * clients that failed together do not retry in lockstep.
 */
export function backoffDelay(attempt: number): number {
  const base = Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** attempt);
  return base * (1 - Math.random() * 0.25);
}

/** The body as openapi-fetch parses it: JSON when it is JSON, else the text. */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Thrown by one attempt whose timer fired, whatever error the fetch implementation raised. */
class AttemptTimedOut extends Error {}

async function fetchWithTimeout(
  fetch: Fetch,
  request: Request,
  init: RequestInit | undefined,
  timeoutMs: number,
): Promise<Response> {
  request.signal.throwIfAborted();
  if (!Number.isFinite(timeoutMs)) return fetch(request, init);
  // A timer rather than AbortSignal.timeout(), so that fake timers in tests control it too.
  const controller = new AbortController();
  const abortWithCaller = () => controller.abort(request.signal.reason);
  request.signal.addEventListener("abort", abortWithCaller, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    // The signal goes in `init` (which overrides the Request's own) rather than into a copy
    // of the Request: constructing a Request per attempt was most of the client's overhead.
    return await fetch(request, { ...init, signal: controller.signal });
  } catch (error) {
    throw timedOut ? new AttemptTimedOut() : error;
  } finally {
    clearTimeout(timer);
    request.signal.removeEventListener("abort", abortWithCaller);
  }
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

type Redaction = Pick<RetryingFetchSettings, "sensitiveHeaders" | "sensitiveQueryParams">;

function summarize(request: Request, redaction: Redaction): RequestSummary {
  return {
    method: request.method,
    url: redactUrl(request.url, redaction.sensitiveQueryParams),
    headers: redactHeaders(request.headers, redaction.sensitiveHeaders),
  };
}

/** The values of the query parameters that carry credentials, to hide when a body echoes one. */
function queryCredentialsOf(url: string, names: ReadonlySet<string> = new Set()): string[] {
  if (names.size === 0) return [];
  const { searchParams } = new URL(url);
  return [...names].flatMap((name) => searchParams.getAll(name));
}

function connectionError(
  request: Request,
  error: unknown,
  attempts: number,
  timeoutMs: number,
  redaction: Redaction,
): ConnectionError {
  const summary = summarize(request, redaction);
  const tries = attempts === 1 ? "" : ` (${attempts} attempts)`;
  if (error instanceof AttemptTimedOut) {
    return new TimeoutError(
      `${summary.method} ${summary.url} timed out after ${timeoutMs} ms${tries}`,
      summary,
      timeoutMs,
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ConnectionError(`${summary.method} ${summary.url} failed: ${reason}${tries}`, summary, {
    cause: error,
  });
}
