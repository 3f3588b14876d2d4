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

/** Where the given credentials go on every request: each of these names is redacted in errors. */
export interface Credentials {
  headers: Record<string, string>;
  query: Record<string, string>;
}

const optionsOf = (scheme: CredentialScheme): string[] =>
  scheme.type === "basic" ? [scheme.username, scheme.password] : scheme.type === "unsupported" ? [] : [scheme.option];

/** `a`, `a and b`, with the verb that goes with them. */
const required = (names: string[], verb = "required") =>
  `${names.join(" and ")} ${names.length === 1 ? "is" : "are"} ${verb}`;

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
  const given = (option: string) => options[option] !== undefined;
  for (const option of schemes.flatMap(optionsOf)) {
    if (given(option) && (typeof options[option] !== "string" || options[option] === "")) {
      fail(`${option} must be a non-empty string`);
    }
  }
  const alternatives = security.map((names) => schemes.filter((scheme) => names.includes(scheme.scheme)));
  const sendable = alternatives.filter((alternative) => alternative.every((scheme) => scheme.type !== "unsupported"));
  if (alternatives.length > 0 && !sendable.some((alternative) => alternative.flatMap(optionsOf).every(given))) {
    const unsupported = alternatives.flat().find((scheme) => scheme.type === "unsupported");
    if (sendable.length === 0 && unsupported?.type === "unsupported") {
      fail(
        `the API only accepts credentials this client cannot send (security scheme "${unsupported.scheme}": ${unsupported.reason})`,
      );
    }
    const needed = sendable.map((alternative) => alternative.flatMap(optionsOf));
    for (const options of needed) {
      const present = options.filter(given);
      if (present.length > 0)
        fail(`${required(options.filter((option) => !given(option)))} when ${required(present, "given")}`);
    }
    fail(
      needed.length === 1
        ? required(needed[0] ?? [])
        : `${needed.map((options) => options.join(" and ")).join(", or ")}, are required`,
    );
  }

  const credentials: Credentials = { headers: {}, query: {} };
  const cookies: string[] = [];
  for (const scheme of schemes) {
    if (!optionsOf(scheme).every(given) || scheme.type === "unsupported") continue;
    if (scheme.type === "bearer") credentials.headers.Authorization = `Bearer ${options[scheme.option]}`;
    else if (scheme.type === "basic") {
      const bytes = new TextEncoder().encode(`${options[scheme.username]}:${options[scheme.password]}`);
      credentials.headers.Authorization = `Basic ${btoa(String.fromCharCode(...bytes))}`;
    } else if (scheme.in === "cookie")
      cookies.push(`${scheme.name}=${encodeURIComponent(String(options[scheme.option]))}`);
    else credentials[scheme.in === "query" ? "query" : "headers"][scheme.name] = String(options[scheme.option]);
  }
  if (cookies.length > 0) credentials.headers.Cookie = cookies.join("; ");
  return credentials;
}
