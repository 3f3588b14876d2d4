/**
 * One Prism HTTP server inside this process, either mocking a spec or validating traffic to a
 * real host. Prism runs in-process through `@stoplight/prism-http-server` rather than as the
 * `prism` CLI: the CLI adds yargs, a file watcher and a JSON log pipeline on top of the same
 * server, which costs start-up time and per-request work that tests and CI pay for every run.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { access } from "node:fs/promises";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createLogger } from "@stoplight/prism-core";
import { getHttpOperationsFromSpec, type IHttpConfig } from "@stoplight/prism-http";
import { createServer } from "@stoplight/prism-http-server";
import type { MockApi } from "./apis.ts";
import { PortInUseError, type RunningMock } from "./running-mock.ts";

export interface ServeOptions {
  api: MockApi;
  specPath: string;
  port: number;
  host: string;
  config: IHttpConfig;
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
function violationLines(header: string): string[] {
  if (!header.startsWith("[")) return ["too many violations to list (the sl-violations header was truncated)"];
  return (JSON.parse(header) as Violation[]).map(
    ({ location, severity, message }) => `${severity.toLowerCase()} at ${location.join(".")}: ${message}`,
  );
}

type HttpServerMessage = { request: IncomingMessage; response: ServerResponse; server: Server };

/**
 * Logs one line per request (method, path, status, time) plus one per spec violation.
 * Prism does not hand out its `http.Server`, so this listens on Node's built-in HTTP
 * diagnostics channels and keeps only the messages of the server bound to `address`.
 * Returns the function that stops listening.
 */
function logRequests(name: string, address: string, log: (line: string) => void): () => void {
  const startedAt = new WeakMap<ServerResponse, number>();
  let ours: Server | undefined;
  const isOurs = (server: Server): boolean => {
    if (ours === undefined) {
      const bound = server.address();
      if (bound !== null && typeof bound === "object" && `http://${bound.address}:${bound.port}` === address) {
        ours = server;
      }
    }
    return server === ours;
  };
  const onStart = (message: unknown) => {
    const { response, server } = message as HttpServerMessage;
    if (isOurs(server)) startedAt.set(response, performance.now());
  };
  const onFinish = (message: unknown) => {
    const { request, response, server } = message as HttpServerMessage;
    const started = startedAt.get(response);
    if (started === undefined || !isOurs(server)) return;
    const ms = Math.round(performance.now() - started);
    log(`[${name}] ${request.method} ${request.url} ${response.statusCode} ${ms}ms`);
    const violations = response.getHeader("sl-violations");
    if (typeof violations === "string") {
      for (const line of violationLines(violations)) log(`[${name}]   ${line}`);
    }
  };
  subscribe("http.server.request.start", onStart);
  subscribe("http.server.response.finish", onFinish);
  return () => {
    unsubscribe("http.server.request.start", onStart);
    unsubscribe("http.server.response.finish", onFinish);
  };
}

export async function serve({ api, specPath, port, host, config, log }: ServeOptions): Promise<RunningMock> {
  const operations = await loadOperations(api, specPath);
  const server = createServer(operations, { cors: true, config, components: { logger: silentLogger } });
  let address: string;
  try {
    address = await server.listen(port, host);
  } catch (reason) {
    // Prism rejects with the listen error's message only, so the code is read from the text.
    const message = String(reason);
    if (message.includes("EADDRINUSE")) throw new PortInUseError(port, api.mockPortEnv);
    throw new Error(`${api.title}: cannot listen on ${host}:${port}: ${message}`);
  }
  const stopLogging = logRequests(api.name, address, log);
  const boundPort = Number(address.slice(address.lastIndexOf(":") + 1));
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= server.close().finally(stopLogging);
    return closing;
  };
  return {
    name: api.name,
    title: api.title,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${boundPort}`,
    port: boundPort,
    // Prism's server routes every request through the array it was created with, so a reload
    // swaps that array's contents: same server, same port, open connections untouched.
    async reload(nextSpecPath = specPath) {
      const next = await loadOperations(api, nextSpecPath);
      operations.splice(0, operations.length, ...next);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
