/** What a redacted value is replaced with, in messages, URLs and header dumps. */
export const REDACTED = "[REDACTED]";

/**
 * Headers whose values are credentials in any API. Each client adds its own
 * (DirectScale's `Ocp-Apim-Subscription-Key`, Voucherify's `X-App-Token`).
 */
export const DEFAULT_SENSITIVE_HEADERS: readonly string[] = ["authorization", "proxy-authorization", "cookie"];

/**
 * Query parameters that carry credentials: APIM also accepts the subscription key as
 * `subscription-key`, and Voucherify's export download URLs carry a `token`.
 */
const SENSITIVE_QUERY_PARAMS = new Set(["subscription-key", "token", "access_token", "api_key", "apikey", "key"]);

/** Lower-cased header names, so lookups match however a caller spelled the header. */
export function sensitiveHeaderSet(names: readonly string[]): ReadonlySet<string> {
  return new Set([...DEFAULT_SENSITIVE_HEADERS, ...names].map((name) => name.toLowerCase()));
}

/**
 * A plain object of the headers, safe to log: every sensitive header's value is
 * replaced by `[REDACTED]`; the others (including `X-App-Id`) are kept as sent.
 */
export function redactHeaders(
  headers: Headers | Record<string, string>,
  sensitive: ReadonlySet<string> = sensitiveHeaderSet([]),
): Record<string, string> {
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  const safe: Record<string, string> = {};
  for (const [name, value] of entries) {
    safe[name] = sensitive.has(name.toLowerCase()) ? REDACTED : value;
  }
  return safe;
}

/**
 * The (absolute) URL with the values of credential-carrying query parameters redacted: the
 * usual names, and `extra` (a client's own API-key parameters).
 */
export function redactUrl(url: string, extra: ReadonlySet<string> = new Set()): string {
  if (!url.includes("?")) return url;
  const parsed = new URL(url);
  const lowerExtra = new Set([...extra].map((name) => name.toLowerCase()));
  for (const name of new Set(parsed.searchParams.keys())) {
    const lower = name.toLowerCase();
    if (SENSITIVE_QUERY_PARAMS.has(lower) || lowerExtra.has(lower)) parsed.searchParams.set(name, REDACTED);
  }
  return parsed.href;
}

/**
 * The text with every occurrence of a secret replaced, for servers that echo a key
 * back in an error body. The secrets are the values of the request's sensitive headers.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let safe = text;
  for (const secret of secrets) {
    if (secret !== "" && safe.includes(secret)) safe = safe.replaceAll(secret, REDACTED);
  }
  return safe;
}

/**
 * The values of the request's sensitive headers, plus each one's last word so that a
 * `Bearer <token>` header also hides a bare `<token>` echoed in a body.
 */
export function secretsOf(headers: Headers, sensitive: ReadonlySet<string>): string[] {
  const secrets: string[] = [];
  for (const [name, value] of headers) {
    if (!sensitive.has(name)) continue;
    secrets.push(value);
    const lastWord = value.slice(value.lastIndexOf(" ") + 1);
    if (lastWord !== value) secrets.push(lastWord);
  }
  return secrets;
}
