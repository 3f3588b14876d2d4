import { createDirectScaleClient, type DirectScaleClientOptions } from "../src/index.ts";

export const API_KEY = "ds-subscription-key-0123456789";

type Reply = Response | Error;

/** A fake fetch answering with the scripted replies in order, recording what it was sent. */
export function scriptedFetch(...replies: Reply[]) {
  const requests: { request: Request; body: unknown }[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const text = await request.text();
    requests.push({ request, body: text === "" ? undefined : JSON.parse(text) });
    const reply = replies[requests.length - 1];
    if (reply === undefined)
      throw new Error(`unexpected request #${requests.length}: ${request.method} ${request.url}`);
    if (reply instanceof Error) throw reply;
    return reply;
  };
  return { fetch, requests };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

export function testClient(
  fetch: (request: Request) => Promise<Response>,
  options: Partial<DirectScaleClientOptions> = {},
) {
  return createDirectScaleClient({ apiKey: API_KEY, fetch, ...options });
}
