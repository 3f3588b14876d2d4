/**
 * Prism mock servers for every API in redocly.yaml, started in-process: from tests
 * (`startMock`), from `pnpm start` (`startMocks`) and as a validation proxy in front of a
 * real host (`startProxy`). The API list, ports and port variables come from redocly.yaml
 * (shipped in the package at build, see apis.ts), so a new entry there gets a mock without a
 * code change here.
 */
import { getApi, listApis, type MockApi } from "./apis.ts";
import { DEFAULT_LIMITS, type Limits, SANDBOX_RESET_PATH, type SandboxOptions } from "./options.ts";
import { PortInUseError, type RunningMock } from "./running-mock.ts";
import { createSandboxStore } from "./sandbox/index.ts";
import { startSandbox } from "./sandbox/server.ts";
import { type ServeOptions, serve } from "./serve.ts";

export {
  DEFAULT_LIMITS,
  type Limits,
  listApis,
  type MockApi,
  PortInUseError,
  type RunningMock,
  SANDBOX_RESET_PATH,
  type SandboxOptions,
};

/** Mocks bind to loopback only unless a caller asks for another interface. */
export const DEFAULT_HOST = "127.0.0.1";
/** Seed for schema-generated data, so dynamic responses repeat from run to run. */
export const DEFAULT_SEED = 1;

export interface StartMockOptions {
  /** Port to bind; 0 picks a free one. Default: the API's variable (e.g. `VOUCHERIFY_MOCK_PORT`), else its `mockPort`. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** Generate responses from the schemas instead of returning the spec's examples. */
  dynamic?: boolean;
  /** Seed for generated data (`dynamic`, or a request's `Prefer: dynamic=true`). Default 1. */
  seed?: number;
  /** Receives one line per request (and one per spec violation). Default: no logging. */
  log?: (line: string) => void;
  /**
   * Keep state instead of answering from the examples: orders created are returned, listed and
   * changed; imports and exports run as jobs that reach DONE. `true`, or `{ fixtures, jobDelayMs }`.
   * Prism still validates every request before the store sees it, and every answer.
   */
  stateful?: boolean | SandboxOptions;
  /** Body size, time and connection limits; each one left out keeps its default (`DEFAULT_LIMITS`). */
  limits?: Partial<Limits>;
  /** Serve this spec file (JSON or YAML) instead of the API's shipped bundle. */
  specPath?: string;
  /**
   * Inside the commerce-api repository only: read the API list from this redocly.yaml (and
   * serve the bundles in the specs/<api>/dist/ beside it) instead of the list shipped in the package.
   */
  configPath?: string;
}

export interface StartMocksOptions extends Omit<StartMockOptions, "port" | "specPath"> {
  /** Which APIs to mock. Default: every API in redocly.yaml. */
  names?: string[];
  /** Port per API name; an API not listed uses its variable or default. */
  ports?: Record<string, number>;
}

export interface StartProxyOptions
  extends Pick<StartMockOptions, "port" | "host" | "log" | "limits" | "specPath" | "configPath"> {}

function resolvePort(api: MockApi, explicit: number | undefined): number {
  const raw = explicit ?? process.env[api.mockPortEnv];
  if (raw === undefined || raw === "") return api.mockPort;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    const source = explicit === undefined ? `${api.mockPortEnv}=${raw}` : `port ${raw} for ${api.name}`;
    throw new Error(`${source} is not a port number (0-65535)`);
  }
  return port;
}

const ignoreLog = () => {};

function resolveLimits(given: Partial<Limits> = {}): Limits {
  const limits = { ...DEFAULT_LIMITS, ...given };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`limits.${name} must be a positive whole number, got ${value}`);
  }
  return limits;
}

// Prism's own checks, as `prism mock` runs them: requests are validated against the spec
// (security included) and answered with a 4xx when they break it; responses are validated too,
// but only reported (`sl-violations`), so a spec example that drifted from its schema
// shows up without breaking the caller.
const checks = {
  checkSecurity: true,
  validateRequest: true,
  validateResponse: true,
  errors: false,
  upstreamProxy: undefined,
} as const;

/** Starts one API's mock. Close it with `close()` in a `finally`, or declare it with `await using`. */
export async function startMock(name: string, options: StartMockOptions = {}): Promise<RunningMock> {
  if (options.stateful) return startSandboxMock(name, options, options.stateful === true ? {} : options.stateful);
  return serveApi(name, options, {
    ...checks,
    isProxy: false,
    mock: { dynamic: options.dynamic ?? false, seed: String(options.seed ?? DEFAULT_SEED) },
  });
}

/**
 * A stateful mock: Prism as a validation proxy whose upstream is the API's in-memory store.
 * With `errors`, Prism answers a request that breaks the spec itself (401, or 422 naming the
 * violations) instead of forwarding it, and a store answer that breaks the spec becomes an error.
 */
async function startSandboxMock(name: string, options: StartMockOptions, sandboxOptions: SandboxOptions) {
  await getApi(name, options.configPath);
  if (options.dynamic)
    throw new Error("dynamic and stateful cannot be combined: a stateful mock answers from its store");
  const { store, context } = createSandboxStore(name, sandboxOptions);
  const sandbox = await startSandbox(store);
  try {
    const config = { ...checks, errors: true, isProxy: true, upstream: new URL(sandbox.url), mock: { dynamic: false } };
    const mock = await serveApi(name, options, config, sandbox);
    context.baseUrl = mock.url;
    return mock;
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

/** Serves one API from the list with Prism `config`, resolving what mock and proxy share. */
async function serveApi(
  name: string,
  options: StartProxyOptions,
  config: ServeOptions["config"],
  sandbox?: ServeOptions["sandbox"],
): Promise<RunningMock> {
  const api = await getApi(name, options.configPath);
  return serve({
    sandbox,
    api,
    specPath: options.specPath ?? api.specPath,
    port: resolvePort(api, options.port),
    host: options.host ?? DEFAULT_HOST,
    log: options.log ?? ignoreLog,
    limits: resolveLimits(options.limits),
    config,
  });
}

/**
 * Starts several mocks (all APIs by default). All or nothing: if any cannot start, for example
 * because its port is taken, the ones already started are closed before the error is thrown.
 */
export async function startMocks(options: StartMocksOptions = {}): Promise<RunningMock[]> {
  const { names, ports = {}, ...shared } = options;
  const apis =
    names === undefined
      ? await listApis(options.configPath)
      : await Promise.all([...new Set(names)].map((n) => getApi(n, options.configPath)));
  const unknown = Object.keys(ports).filter((name) => !apis.some((api) => api.name === name));
  if (unknown.length > 0) throw new Error(`ports given for APIs that are not being started: ${unknown.join(", ")}`);

  const results = await Promise.allSettled(
    apis.map((api) => startMock(api.name, { ...shared, port: ports[api.name] })),
  );
  const started = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failed = results.find((result) => result.status === "rejected");
  if (failed) {
    await Promise.all(started.map((mock) => mock.close()));
    throw failed.reason;
  }
  return started;
}

/**
 * Starts Prism as a validation proxy: every request is forwarded to `upstream` as it is
 * (credentials included) and the upstream's answer is passed back, while both are checked
 * against the spec. Violations are not blocked; they come back in the `sl-violations`
 * response header and are passed to `log`.
 */
export async function startProxy(
  name: string,
  upstream: string,
  options: StartProxyOptions = {},
): Promise<RunningMock> {
  await getApi(name, options.configPath); // an unknown name is the first error to report
  const target = URL.canParse(upstream) ? new URL(upstream) : undefined;
  if (target?.protocol !== "http:" && target?.protocol !== "https:") {
    throw new Error(`upstream must be an http:// or https:// URL, got "${upstream}"`);
  }
  return serveApi(name, options, { ...checks, isProxy: true, upstream: target, mock: { dynamic: false } });
}
