/**
 * One mock (or validation proxy) inside this process: a plain Node server that callers reach,
 * handing each request it admits to Prism's request handler in the same process. Prism runs
 * through `@stoplight/prism-http-server` rather than as the `prism` CLI, which adds yargs, a
 * file watcher and a JSON log pipeline on top of the same handler.
 *
 * The front server exists because Prism 5.16 does not always answer: a malformed JSON body
 * hangs it, and it has no body, time or connection limits. The front checks each request
 * (guard.ts) before Prism sees it, enforces the limits, logs, and names the real violation in
 * the error bodies Prism copies from the spec's examples.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { access } from "node:fs/promises";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { createLogger } from "@stoplight/prism-core";
import { getHttpOperationsFromSpec, type IHttpConfig } from "@stoplight/prism-http";
import { createServer as createPrismServer } from "@stoplight/prism-http-server";
import type { MockApi } from "./apis.ts";
import { admit, Problem, routeTable } from "./guard.ts";
import { type Limits, SANDBOX_RESET_PATH } from "./options.ts";
import { PortInUseError, type RunningMock } from "./running-mock.ts";
import type { RunningSandbox } from "./sandbox/server.ts";

export interface ServeOptions {
  api: MockApi;
  specPath: string;
  port: number;
  host: string;
  /** Prism's configuration: a mock, or a validation proxy in front of a real host or of `sandbox`. */
  config: IHttpConfig;
  /** The stateful store Prism forwards to; it is reset at `POST /__sandbox/reset` and closed with the mock. */
  sandbox?: RunningSandbox;
  limits: Limits;
  log: (line: string) => void;
}

// Prism logs every step of every request through pino; our own one-line-per-request log
// replaces that, so Prism gets a logger that writes nothing.
const silentLogger = createLogger("mocks", { level: "silent" });

async function loadOperations(api: MockApi, specPath: string) {
  try {
    await access(specPath);
  } catch {
    const hint =
      specPath === api.specPath
        ? " (in the repository, `pnpm turbo run build --filter=@commerce-api/mocks` writes it)"
        : "";
    throw new Error(`${api.title}: no spec at ${specPath}${hint}`);
  }
  const operations = await getHttpOperationsFromSpec(specPath);
  if (operations.length === 0) throw new Error(`${api.title}: ${specPath} has no operations to serve`);
  return operations;
}

interface Violation {
  location: string[];
  severity: string;
  message: string;
}

/** Prism's `sl-violations` header is JSON, or a truncated copy prefixed with a notice when too long. */
function parseViolations(header: string): Violation[] | undefined {
  return header.startsWith("[") ? (JSON.parse(header) as Violation[]) : undefined;
}

function violationLines(header: string): string[] {
  const violations = parseViolations(header);
  if (!violations) return ["too many violations to list (the sl-violations header was truncated)"];
  return violations.map(
    ({ location, severity, message }) => `${severity.toLowerCase()} at ${location.join(".")}: ${message}`,
  );
}

/** One line per request (method, path, status, time) plus one per spec violation, once the answer is sent. */
function logWhenSent(name: string, request: IncomingMessage, response: ServerResponse, log: (line: string) => void) {
  const started = performance.now();
  response.once("finish", () => {
    const ms = Math.round(performance.now() - started);
    log(`[${name}] ${request.method} ${request.url} ${response.statusCode} ${ms}ms`);
    const violations = response.getHeader("sl-violations");
    if (typeof violations === "string") {
      for (const line of violationLines(violations)) log(`[${name}]   ${line}`);
    }
  });
}

function sendProblem(response: ServerResponse, problem: Problem, bodyUnread: boolean) {
  if (response.headersSent) return void response.destroy();
  const body = JSON.stringify(problem);
  response.writeHead(problem.status, {
    ...problem.headers,
    "Content-Type": "application/problem+json",
    "Content-Length": Buffer.byteLength(body),
    // A body left unread would be parsed as the next request on this connection.
    ...(bodyUnread && { Connection: "close" }),
  });
  response.end(body);
}

/**
 * When the caller did not choose the answer (`Prefer: code=` or `example=`), Prism answers a
 * request that breaks the spec with the spec's first 400/422 example, whose message may name an
 * unrelated field; the real violation is only in `sl-violations`. This puts it into the body's
 * `details` field, else its `message` (any case), when the body has one.
 */
function namedViolations(status: number, header: unknown, body: Buffer): Buffer | undefined {
  const violations = typeof header === "string" ? parseViolations(header) : undefined;
  const requestErrors = violations?.filter((violation) => violation.location[0] === "request");
  if (status < 400 || status >= 500 || !requestErrors?.length) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
  const fields = Object.keys(parsed).filter((key) => typeof (parsed as Record<string, unknown>)[key] === "string");
  const field =
    fields.find((key) => key.toLowerCase() === "details") ?? fields.find((key) => key.toLowerCase() === "message");
  if (field === undefined) return undefined;
  const text = requestErrors.map(({ location, message }) => `${message} (at ${location.join(".")})`).join("; ");
  return Buffer.from(JSON.stringify({ ...parsed, [field]: text }));
}

/**
 * Applies `namedViolations` to the answer Prism writes to `response`. Prism sends each answer
 * with one `end(body)` after setting its headers, so this response's `end` is wrapped to
 * rewrite the body and its length just before they go out.
 */
function nameViolationsIn(request: IncomingMessage, response: ServerResponse) {
  const end = response.end.bind(response) as (chunk?: unknown) => ServerResponse;
  response.end = ((chunk?: unknown) => {
    const body = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : undefined;
    const rewritten =
      body && !response.headersSent && request.method !== "HEAD"
        ? namedViolations(response.statusCode, response.getHeader("sl-violations"), body)
        : undefined;
    if (rewritten === undefined) return end(chunk);
    response.setHeader("content-length", rewritten.length);
    return end(rewritten);
  }) as ServerResponse["end"];
}

type PrismServer = ReturnType<typeof createPrismServer>;
type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Prism's request handler, to call for each admitted request from the front server: no second
 * HTTP hop. Prism's `createServer` keeps its `http.Server` to itself, so it listens once on a
 * loopback port, Node's `net.server.listen` diagnostics channel names the server that did, its
 * `request` listener is taken, and it stops listening.
 */
async function prismRequestHandler(prism: PrismServer): Promise<RequestHandler> {
  const listening: Server[] = [];
  const seen = (message: unknown) => listening.push((message as { server: Server }).server);
  subscribe(LISTEN_CHANNEL, seen);
  let address: string;
  try {
    address = await prism.listen(0, "127.0.0.1");
  } finally {
    unsubscribe(LISTEN_CHANNEL, seen);
  }
  // Other servers may start listening meanwhile (several mocks start at once): ours has Prism's address.
  const port = Number(new URL(address).port);
  const server = listening.find((candidate) => (candidate.address() as AddressInfo | null)?.port === port);
  const [handler] = server?.listeners("request") ?? [];
  if (!server || typeof handler !== "function") {
    await prism.close();
    throw new Error(
      "could not reach Prism's request handler (the net.server.listen diagnostics channel named no server)",
    );
  }
  await prism.close();
  return handler as RequestHandler;
}

const LISTEN_CHANNEL = "tracing:net.server.listen:asyncStart";

export async function serve({
  api,
  specPath,
  port,
  host,
  config,
  sandbox,
  limits,
  log,
}: ServeOptions): Promise<RunningMock> {
  const operations = await loadOperations(api, specPath);
  let routes = routeTable(operations);
  // A mock or a sandbox refuses what the spec does not allow; the proxy to a real host passes it on.
  const strict = !config.isProxy || sandbox !== undefined;

  const prismHandler = await prismRequestHandler(
    createPrismServer(operations, { cors: true, config, components: { logger: silentLogger } }),
  );

  /** Hands an admitted request to Prism, with its body (already read here) replayed. */
  function forward(request: IncomingMessage, body: Buffer, response: ServerResponse) {
    if (strict && !/\b(code|example)=/.test(String(request.headers.prefer ?? ""))) nameViolationsIn(request, response);
    if (body.length === 0) return prismHandler(request, response);
    // The body is whole now: its length replaces any chunked framing.
    const { "transfer-encoding": _chunked, ...headers } = request.headers;
    headers["content-length"] = String(body.length);
    const replay = Object.assign(Readable.from([body]), {
      headers,
      method: request.method,
      url: request.url,
      httpVersion: request.httpVersion,
      socket: request.socket,
    });
    prismHandler(replay as unknown as IncomingMessage, response);
  }

  const front = createHttpServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      // How often Node looks for requests past those timeouts (its default is every 30 s).
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(limits.requestTimeoutMs / 4))),
    },
    (request, response) => {
      logWhenSent(api.name, request, response, log);
      if (sandbox && request.url === SANDBOX_RESET_PATH) {
        if (request.method !== "POST") {
          const problem = new Problem(405, "Method Not Allowed", `${SANDBOX_RESET_PATH} takes POST`, { Allow: "POST" });
          return sendProblem(response, problem, !request.readableEnded);
        }
        sandbox.reset();
        response.writeHead(204).end();
        return;
      }
      admit(request, routes, limits, strict).then(
        ({ body }) => forward(request, body, response),
        (error: unknown) => {
          const problem =
            error instanceof Problem
              ? error
              : new Problem(400, "Bad Request", `the request could not be read: ${error}`);
          sendProblem(response, problem, !request.readableEnded);
        },
      );
    },
  );
  front.maxConnections = limits.maxConnections;

  try {
    await new Promise<void>((resolve, reject) => {
      front.once("error", reject);
      front.listen(port, host, () => {
        front.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new PortInUseError(port, api.mockPortEnv);
    throw new Error(`${api.title}: cannot listen on ${host}:${port}: ${(error as Error).message}`);
  }
  const boundPort = (front.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      front.close(() => resolve());
      front.closeAllConnections();
    }).then(() => sandbox?.close());
    return closing;
  };
  return {
    name: api.name,
    title: api.title,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${boundPort}`,
    port: boundPort,
    ...(sandbox && { reset: async () => sandbox.reset() }),
    // Prism routes every request through the array it was created with, so a reload swaps that
    // array's contents (and the front server's route table): same server, same port, open
    // connections untouched.
    async reload(nextSpecPath = specPath) {
      const next = await loadOperations(api, nextSpecPath);
      operations.splice(0, operations.length, ...next);
      routes = routeTable(operations);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
