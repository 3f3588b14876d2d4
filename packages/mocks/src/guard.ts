/**
 * What a request must pass before Prism sees it. Prism 5.16 never answers some requests (a
 * malformed JSON body leaves it waiting for a stream that has ended) and answers others with
 * the wrong status (a 400 example for a content type it cannot read, a 405 without `Allow`),
 * so each of those is answered here, with a problem+json body that names what is wrong.
 */
import type { IncomingMessage } from "node:http";
import { isTypeValid, parse as parseContentType } from "content-type";
import jsonc from "jsonc-parser";
import getRawBody, { type RawBodyError } from "raw-body";
import type { Limits } from "./options.ts";

/** An answer given instead of Prism's: an RFC 9457 problem. */
export class Problem extends Error {
  readonly status: number;
  readonly title: string;
  readonly headers: Record<string, string>;

  constructor(status: number, title: string, detail: string, headers: Record<string, string> = {}) {
    super(detail);
    this.status = status;
    this.title = title;
    this.headers = headers;
  }

  toJSON() {
    return { type: "about:blank", title: this.title, status: this.status, detail: this.message };
  }
}

/** The part of a Prism operation the guard reads. */
export interface OperationShape {
  path: string;
  method: string;
  request?: { body?: { contents?: { mediaType: string }[] } };
}

interface Route {
  pattern: RegExp;
  /** Fewer templated segments first: `/v1/orders/import` wins over `/v1/orders/{orderId}`, as in Prism. */
  templated: number;
  operations: Map<string, OperationShape>;
}

/** The spec's paths as patterns, each with its operations by upper-case method. */
export function routeTable(operations: readonly OperationShape[]): Route[] {
  const routes = new Map<string, Route>();
  for (const operation of operations) {
    let route = routes.get(operation.path);
    if (!route) {
      const source = operation.path
        .split(/(\{[^}]+\})/)
        .map((part) => (part.startsWith("{") ? "[^/]+" : part.replaceAll(/[.*+?^${}()|[\]\\]/g, "\\$&")))
        .join("");
      route = {
        pattern: new RegExp(`^${source}/?$`),
        templated: operation.path.split("{").length - 1,
        operations: new Map(),
      };
      routes.set(operation.path, route);
    }
    route.operations.set(operation.method.toUpperCase(), operation);
  }
  return [...routes.values()].sort((a, b) => a.templated - b.templated);
}

/** JSON bodies, as Prism tells them apart: `application/json` and any `+json` type. */
const isJson = (mediaType: string) => mediaType === "application/json" || /^application\/[^/]+\+json$/.test(mediaType);

function accepts(declared: string, mediaType: string): boolean {
  const [type, subtype] = declared.toLowerCase().split(";")[0]?.trim().split("/") ?? [];
  const [actualType] = mediaType.split("/");
  return (type === "*" || type === actualType) && (subtype === "*" || `${type}/${subtype}` === mediaType);
}

const hasBody = (request: IncomingMessage) =>
  request.headers["transfer-encoding"] !== undefined ||
  (request.headers["content-length"] !== undefined && request.headers["content-length"] !== "0");

/** Reads the body within the limit; raw-body's errors carry the status (413, or 400 for a short body). */
async function readBody(request: IncomingMessage, limits: Limits): Promise<Buffer> {
  try {
    return await getRawBody(request, { length: request.headers["content-length"], limit: limits.maxBodyBytes });
  } catch (error) {
    const { status = 400, type, message } = error as RawBodyError;
    if (type === "entity.too.large") {
      throw new Problem(
        413,
        "Content Too Large",
        `the body is larger than this mock's limit of ${limits.maxBodyBytes} bytes`,
      );
    }
    throw new Problem(status < 500 ? status : 400, "Bad Request", `the body could not be read: ${message}`);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

export interface Admitted {
  /** The body as received, to forward unchanged; empty when there was none. */
  body: Buffer;
}

/**
 * Checks one request and reads its body, or throws the `Problem` to answer with. `strict` (a
 * mock, not the validation proxy) also refuses what the spec does not allow: an unknown method on
 * a known path (405 with `Allow`) and a body type the operation does not take (415).
 */
export async function admit(
  request: IncomingMessage,
  routes: Route[],
  limits: Limits,
  strict: boolean,
): Promise<Admitted> {
  if (!URL.canParse(request.url ?? "", "http://mock.invalid")) {
    throw new Problem(400, "Bad Request", `the request target ${JSON.stringify(request.url)} is not a valid URL path`);
  }
  const { pathname } = new URL(request.url ?? "", "http://mock.invalid");
  try {
    decodeURIComponent(pathname);
  } catch {
    // Prism's path matching decodes it and would throw outside any handler, never answering.
    throw new Problem(400, "Bad Request", `the path ${pathname} is not valid percent-encoding`);
  }
  const method = request.method ?? "GET";
  const matching = routes.filter((route) => route.pattern.test(pathname));
  const operation = matching.map((route) => route.operations.get(method)).find((found) => found !== undefined);
  // OPTIONS is the CORS preflight, which Prism answers for every path.
  if (strict && matching.length > 0 && operation === undefined && method !== "OPTIONS") {
    const allowed = [...new Set(matching.flatMap((route) => [...route.operations.keys()]))];
    throw new Problem(405, "Method Not Allowed", `${pathname} takes ${allowed.join(", ")}, not ${method}`, {
      Allow: allowed.join(", "),
    });
  }
  if (!hasBody(request)) return { body: Buffer.alloc(0) };

  const declaredLength = Number(request.headers["content-length"]);
  if (declaredLength > limits.maxBodyBytes) {
    throw new Problem(
      413,
      "Content Too Large",
      `the body is larger than this mock's limit of ${limits.maxBodyBytes} bytes`,
    );
  }
  const coding = request.headers["content-encoding"]?.trim().toLowerCase();
  if (coding !== undefined && coding !== "" && coding !== "identity") {
    throw new Problem(
      415,
      "Unsupported Media Type",
      `Content-Encoding ${coding} is not supported; send the body uncompressed`,
    );
  }
  const header = request.headers["content-type"];
  let mediaType: string | undefined;
  let charset: string | undefined;
  if (header !== undefined) {
    const parsed = parseContentType(header);
    if (!isTypeValid(parsed.type)) {
      throw new Problem(400, "Bad Request", `the Content-Type header ${JSON.stringify(header)} is not a media type`);
    }
    mediaType = parsed.type;
    charset = parsed.parameters.charset?.toLowerCase();
  }
  const declared = operation?.request?.body?.contents?.map((content) => content.mediaType) ?? [];
  if (strict && declared.length > 0 && !declared.some((type) => mediaType !== undefined && accepts(type, mediaType))) {
    const sent = mediaType === undefined ? "a body without Content-Type" : `Content-Type ${mediaType}`;
    throw new Problem(
      415,
      "Unsupported Media Type",
      `${method} ${pathname} takes ${declared.join(", ")}, not ${sent}`,
      {
        "Accept-Post": declared.join(", "),
      },
    );
  }
  const json = mediaType !== undefined && isJson(mediaType);
  if (json && charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
    throw new Problem(415, "Unsupported Media Type", `JSON must be UTF-8, not charset=${charset}`);
  }

  const body = await readBody(request, limits);
  if (!json) return { body };
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new Problem(400, "Bad Request", "the JSON body is not valid UTF-8");
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new Problem(
      400,
      "Bad Request",
      `the body is not valid JSON ${whereJsonBreaks(text, (error as Error).message)}`,
    );
  }
  return { body };
}

/**
 * Where and why `JSON.parse` refused `text`, e.g. `at position 5 (line 1, column 6): Unexpected
 * token '}', "{"a":}" is not valid JSON`. V8 names the position for most errors but not for an
 * unexpected token or an early end, so then jsonc-parser's scanner finds it.
 */
function whereJsonBreaks(text: string, reason: string): string {
  let position = Number(reason.match(/at position (\d+)/)?.[1] ?? Number.NaN);
  if (Number.isNaN(position)) {
    const errors: jsonc.ParseError[] = [];
    jsonc.parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    position = errors[0]?.offset ?? text.length;
  }
  const before = text.slice(0, position).split("\n");
  const where = `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
  return `at position ${position} (${where}): ${reason.replace(/ in JSON at position \d+ \(line \d+ column \d+\)$/, "")}`;
}
