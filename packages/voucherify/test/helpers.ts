import { createVoucherifyClient, type VoucherifyClientOptions } from "../src/index.ts";

export const APP_ID = "app-id-visible";
export const APP_TOKEN = "app-token-0123456789";

type Handler = (request: Request, url: URL) => Response | Promise<Response>;

/**
 * A fake Voucherify: routes "METHOD /path" to a handler and records every request it
 * was sent, with its parsed JSON body.
 */
export function fakeVoucherify(routes: Record<string, Handler>) {
  const requests: { method: string; url: URL; body: unknown }[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const text = await request.text();
    requests.push({ method: request.method, url, body: text === "" ? undefined : JSON.parse(text) });
    const route = routes[`${request.method} ${url.pathname}`];
    if (!route) return json({ code: 404, message: "Resource not found" }, 404);
    return route(request, url);
  };
  return { fetch, requests };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

export function testClient(
  fetch: (request: Request) => Promise<Response>,
  options: Partial<VoucherifyClientOptions> = {},
) {
  return createVoucherifyClient({
    appId: APP_ID,
    appToken: APP_TOKEN,
    baseUrl: "https://vf.test",
    fetch,
    ...options,
  } as VoucherifyClientOptions);
}

/** A minimal order as the API returns it. */
export function order(id: string) {
  return { id, object: "order" as const, source_id: `src-${id}`, status: "PAID" as const };
}
