/**
 * The stateful sandbox: an in-memory store per mock that answers the requests Prism has
 * already validated. It listens on an internal loopback port as the upstream of a Prism
 * validation proxy (see serve.ts), so every request is checked against the spec before it
 * reaches the store and every answer is checked before it reaches the caller.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SandboxRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export interface SandboxAnswer {
  status: number;
  /** JSON unless `contentType` says otherwise (then a string). */
  body?: unknown;
  contentType?: string;
}

export interface SandboxRoute {
  method: string;
  /** The spec's path, e.g. `/v1/orders/{orderId}`; its parameters are passed to `handle` by name. */
  path: string;
  handle(request: SandboxRequest, params: Record<string, string>): SandboxAnswer;
}

/** One API's store: its routes, and how to go back to the fixtures. */
export interface SandboxStore {
  routes: SandboxRoute[];
  reset(): void;
}

export interface SandboxContext {
  /** The mock's own base URL, for links that point back at it (an export's file). */
  baseUrl: string;
  jobDelayMs: number;
  fixtures: Record<string, unknown[]>;
  /** The clock the store reads; jobs move on by it. */
  now(): number;
}

/** Finds the route for a method and path, with the path's parameters decoded. */
function compile(routes: SandboxRoute[]) {
  const compiled = routes.map((route) => {
    const names: string[] = [];
    const source = route.path.replaceAll(/\{([^}]+)\}/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    return { route, names, pattern: new RegExp(`^${source}$`) };
  });
  // Paths without parameters first, so /v1/orders/import is not read as an order ID.
  compiled.sort((a, b) => a.names.length - b.names.length);
  return (method: string, path: string) => {
    for (const { route, names, pattern } of compiled) {
      const match = route.method === method ? pattern.exec(path) : null;
      if (match) {
        const params = Object.fromEntries(
          names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? "")]),
        );
        return { route, params };
      }
    }
    return undefined;
  };
}

export interface RunningSandbox {
  url: string;
  reset(): void;
  close(): Promise<void>;
}

/** Serves `store` on an internal loopback port, for Prism to forward to. */
export async function startSandbox(store: SandboxStore): Promise<RunningSandbox> {
  const find = compile(store.routes);
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(request.url ?? "/", "http://sandbox.invalid");
    const found = find(request.method ?? "GET", url.pathname);
    // Prism routes and validates before forwarding, so an unknown route here is a gap in the store:
    // 501 makes Prism fall back to answering from the spec's examples.
    let answer: SandboxAnswer;
    try {
      answer = found
        ? found.route.handle(
            {
              method: request.method ?? "GET",
              path: url.pathname,
              query: url.searchParams,
              body: text ? JSON.parse(text) : undefined,
            },
            found.params,
          )
        : { status: 501, body: { message: `the sandbox does not keep ${request.method} ${url.pathname}` } };
    } catch (error) {
      // A fault of the store, not of the request (Prism has validated it): say so plainly.
      answer = { status: 500, body: { code: 500, message: `sandbox fault: ${error}` } };
    }
    const contentType = answer.contentType ?? "application/json";
    const body =
      answer.body === undefined
        ? ""
        : contentType === "application/json"
          ? JSON.stringify(answer.body)
          : String(answer.body);
    response.writeHead(answer.status, {
      ...(body !== "" && { "Content-Type": contentType }),
      "Content-Length": Buffer.byteLength(body),
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    reset: () => store.reset(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
