#!/usr/bin/env node
/**
 * `commerce-api-mock`: serves the mocks (or a validation proxy) in the foreground until
 * Ctrl-C / SIGTERM, printing each URL and one line per request.
 */
import { parseArgs } from "node:util";
import { DEFAULT_SEED, listApis, type RunningMock, SANDBOX_RESET_PATH, startMocks, startProxy } from "./index.ts";

const USAGE = `Usage:
  commerce-api-mock [start] [name...] [--port N] [--stateful | --dynamic [--seed N]] [--host H]
      Mock every API listed below, or only the named ones. Each listens on --port, else on
      the port in its variable, else on its default port.
  commerce-api-mock proxy <name> <upstream-url> [--port N] [--host H]
      Forward every request to a real host and report each request or response that breaks
      the spec. Send your own credentials; they are passed through.

Options:
  --stateful  keep state: what is created is returned, listed and changed; imports and
              exports run as jobs (POST /__sandbox/reset empties the store)
  --dynamic   answer with data generated from the schemas instead of the examples
  --seed N    seed for generated data, so runs repeat (default ${DEFAULT_SEED})
  --port N    port to listen on, for the proxy or a single mock (0: any free port)
  --host H    interface to listen on (default 127.0.0.1)
  -h, --help  show this help

APIs (name, default port, variable):`;

async function usage(): Promise<string> {
  const apis = await listApis();
  // Columns as wide as the longest name, plus a space: `twilio-verify` is longer than our own.
  const width = Math.max(...apis.map((api) => api.name.length)) + 1;
  return [
    USAGE,
    ...apis.map((api) => `  ${api.name.padEnd(width)}${String(api.mockPort).padEnd(6)}${api.mockPortEnv}`),
  ].join("\n");
}

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isInteger(parsed)) throw new Error(`${flag} needs a whole number, got "${value}"`);
  return parsed;
}

async function run(args: string[]): Promise<RunningMock[]> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      dynamic: { type: "boolean", default: false },
      stateful: { type: "boolean", default: false },
      seed: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(await usage());
    return [];
  }
  const log = (line: string) => console.log(line);
  const seed = integer("--seed", values.seed);
  const port = integer("--port", values.port);
  const [command, ...rest] = positionals;

  if (command === "proxy") {
    const [name, upstream, ...extra] = rest;
    if (name === undefined || upstream === undefined || extra.length > 0) {
      throw new Error(`proxy takes an API name and an upstream URL\n\n${await usage()}`);
    }
    if (values.dynamic || values.stateful || seed !== undefined) {
      throw new Error("--dynamic, --stateful and --seed apply to mocks, not to the proxy");
    }
    const proxy = await startProxy(name, upstream, { port, host: values.host, log });
    console.log(`${proxy.title} validation proxy  ${proxy.url} -> ${upstream}`);
    console.log("Each request and response that breaks the spec is reported below, and in its sl-violations header.");
    return [proxy];
  }

  const names = command === "start" ? rest : positionals;
  const [single, ...others] = names;
  if (port !== undefined && (single === undefined || others.length > 0)) {
    throw new Error("--port needs exactly one API name; set each mock's port variable to move several");
  }
  const mocks = await startMocks({
    names: names.length > 0 ? names : undefined,
    ports: single !== undefined && port !== undefined ? { [single]: port } : undefined,
    host: values.host,
    dynamic: values.dynamic,
    stateful: values.stateful,
    seed,
    log,
  });
  for (const mock of mocks) console.log(`${mock.title} mock  ${mock.url}`);
  if (values.dynamic) console.log(`Responses are generated from the schemas (seed ${seed ?? DEFAULT_SEED}).`);
  if (values.stateful) console.log(`Stateful: each mock keeps its own store; POST ${SANDBOX_RESET_PATH} empties it.`);
  return mocks;
}

try {
  // pnpm passes a `--` separator through to the script (`pnpm start -- --dynamic`), where
  // parseArgs would read every later flag as a name; npm users type it by habit.
  const args = process.argv.slice(2);
  if (args[0] === "--") args.shift();
  const servers = await run(args);
  if (servers.length > 0) {
    // `once`: a second Ctrl-C during shutdown falls through to Node's default and kills the process.
    const stop = () =>
      Promise.all(servers.map((server) => server.close())).catch((error: unknown) => {
        console.error(`could not close cleanly: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      });
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    // Only now: until a listener exists, a signal gets the OS default and kills the process, so
    // a Ctrl-C (or a test's SIGINT) sent as soon as this line appears must find the handlers.
    console.log("Press Ctrl-C to stop.");
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
