import {
  createQuerySerializer,
  type Middleware,
  serializeArrayParam,
  serializeObjectParam,
  serializePrimitiveParam,
} from "openapi-fetch";

/** A query parameter's `style`, `explode` and `allowReserved`, as the spec gives them. */
export interface QueryStyle {
  style: string;
  explode: boolean;
  allowReserved?: boolean;
}

/** Per operation (`GET /v1/orders`), the query parameters not sent in openapi-fetch's default style. */
export type QueryStyles = Readonly<Record<string, Readonly<Record<string, QueryStyle>>>>;

const defaultSerializer = createQuerySerializer();

function serializeParameter(name: string, value: unknown, style: QueryStyle | undefined): string {
  if (!style) return defaultSerializer({ [name]: value });
  if (Array.isArray(value)) {
    return serializeArrayParam(name, value, style as Parameters<typeof serializeArrayParam>[2]);
  }
  if (typeof value === "object" && value !== null) {
    return serializeObjectParam(
      name,
      value as Record<string, unknown>,
      style as Parameters<typeof serializeObjectParam>[2],
    );
  }
  return serializePrimitiveParam(name, String(value), style);
}

/**
 * Rewrites the query string of the operations whose parameters have their own `style` or
 * `explode` (openapi-fetch applies one style to the whole client), in the order given.
 */
export function queryStyleMiddleware(styles: QueryStyles): Middleware {
  return {
    onRequest({ request, schemaPath, params }) {
      const operationStyles = styles[`${request.method} ${schemaPath}`];
      if (!operationStyles || !params.query) return undefined;
      const sent = Object.entries(params.query).filter(([, value]) => value !== undefined && value !== null);
      // Without a styled parameter openapi-fetch's query is already right: the Request is
      // not rebuilt (a second Request per call doubled the client's per-request time).
      if (!sent.some(([name]) => name in operationStyles)) return undefined;
      const search = sent
        .map(([name, value]) => serializeParameter(name, value, operationStyles[name]))
        .filter((part) => part !== "")
        .join("&");
      const url = new URL(request.url);
      url.search = search;
      return new Request(url, request);
    },
  };
}

/** Adds the credentials that travel in the query string to every request. */
export function queryCredentialsMiddleware(query: Readonly<Record<string, string>>): Middleware {
  return {
    onRequest({ request }) {
      const url = new URL(request.url);
      // Appended as text: re-serializing through searchParams would re-encode a styled query (`a=1,2`).
      const added = Object.entries(query).map(
        ([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
      );
      url.search = [url.search.slice(1), ...added].filter(Boolean).join("&");
      return new Request(url, request);
    },
  };
}
