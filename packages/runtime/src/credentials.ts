/**
 * Credentials as the spec's security schemes describe them: a generated client hands over
 * its schemes (one option per scheme) and the alternatives the spec accepts; this checks the
 * options against them and says where each credential travels.
 */

/** One security scheme of the spec, with the client option(s) that carry it. */
export type CredentialScheme =
  | { scheme: string; type: "apiKey"; option: string; in: "header" | "query" | "cookie"; name: string }
  | { scheme: string; type: "bearer"; option: string }
  | { scheme: string; type: "basic"; username: string; password: string }
  | { scheme: string; type: "unsupported"; reason: string };

/** Where the given credentials go on every request, and which names to redact. */
export interface Credentials {
  headers: Record<string, string>;
  query: Record<string, string>;
  /** Headers carrying a credential (beyond `Authorization` and `Cookie`, always redacted). */
  sensitiveHeaders: string[];
  /** Query parameters carrying a credential. */
  sensitiveQueryParams: string[];
}

const optionsOf = (scheme: CredentialScheme): string[] =>
  scheme.type === "basic" ? [scheme.username, scheme.password] : scheme.type === "unsupported" ? [] : [scheme.option];

const listed = (names: string[]) => names.join(" and ");
const verb = (names: string[]) => (names.length === 1 ? "is" : "are");

/**
 * The credentials to send: every option given (each a non-empty string), once at least one
 * of the spec's alternatives is complete. `security` lists the alternatives by scheme name;
 * an empty list, or an empty alternative, needs none.
 */
export function resolveCredentials(
  options: Record<string, unknown>,
  schemes: readonly CredentialScheme[],
  security: readonly (readonly string[])[],
  fail: (message: string) => never,
): Credentials {
  for (const option of schemes.flatMap(optionsOf)) {
    const value = options[option];
    if (value !== undefined && (typeof value !== "string" || value === ""))
      fail(`${option} must be a non-empty string`);
  }
  const given = (option: string) => typeof options[option] === "string";
  const byName = new Map(schemes.map((scheme) => [scheme.scheme, scheme]));
  const alternatives = security.map((names) =>
    names.map((name) => byName.get(name) ?? fail(`the security scheme "${name}" is not among its credentials`)),
  );
  const complete = (alternative: CredentialScheme[]) =>
    alternative.every((scheme) => scheme.type !== "unsupported" && optionsOf(scheme).every(given));
  if (alternatives.length > 0 && !alternatives.some(complete)) {
    const sendable = alternatives.filter((alternative) => alternative.every((scheme) => scheme.type !== "unsupported"));
    if (sendable.length === 0) {
      const [unsupported] = alternatives.flat().filter((scheme) => scheme.type === "unsupported");
      fail(
        `the API accepts only credentials this client cannot send (security scheme "${unsupported?.scheme}": ${unsupported?.type === "unsupported" ? unsupported.reason : ""}); send them yourself through \`headers\` or \`middleware\` with a client made by openapi-fetch`,
      );
    }
    for (const alternative of sendable) {
      const needed = alternative.flatMap(optionsOf);
      const present = needed.filter(given);
      const missing = needed.filter((option) => !given(option));
      if (present.length > 0)
        fail(`${listed(missing)} ${verb(missing)} required when ${listed(present)} ${verb(present)} given`);
    }
    const choices = sendable.map((alternative) => listed(alternative.flatMap(optionsOf)));
    if (choices.length > 1) fail(`${choices.join(", or ")}, are required`);
    const only = sendable[0]?.flatMap(optionsOf) ?? [];
    fail(`${listed(only)} ${verb(only)} required`);
  }

  const credentials: Credentials = { headers: {}, query: {}, sensitiveHeaders: [], sensitiveQueryParams: [] };
  const cookies: string[] = [];
  for (const scheme of schemes) {
    if (scheme.type === "unsupported" || !optionsOf(scheme).every(given)) continue;
    if (scheme.type === "bearer") credentials.headers.Authorization = `Bearer ${options[scheme.option]}`;
    else if (scheme.type === "basic") {
      const bytes = new TextEncoder().encode(`${options[scheme.username]}:${options[scheme.password]}`);
      credentials.headers.Authorization = `Basic ${btoa(String.fromCharCode(...bytes))}`;
    } else if (scheme.in === "header") {
      credentials.headers[scheme.name] = String(options[scheme.option]);
      credentials.sensitiveHeaders.push(scheme.name);
    } else if (scheme.in === "query") {
      credentials.query[scheme.name] = String(options[scheme.option]);
      credentials.sensitiveQueryParams.push(scheme.name);
    } else cookies.push(`${scheme.name}=${encodeURIComponent(String(options[scheme.option]))}`);
  }
  if (cookies.length > 0) credentials.headers.Cookie = cookies.join("; ");
  return credentials;
}
