#!/usr/bin/env node
/**
 * `commerce-mocks`: serves the mocks (or a validation proxy) in the foreground until
 * Ctrl-C / SIGTERM, printing each URL and one line per request.
 */
import { parseArgs } from "node:util";
import { getApi } from "@commerce-api/specs";
import { DEFAULT_SEED, type RunningMock, startMocks, startProxy } from "./index.ts";

const USAGE = `Usage:
  commerce-mocks [start] [name...] [--dynamic] [--seed N] [--host H]
      Mock every API in redocly.yaml, or only the named ones. Each listens on the port in
      its variable (e.g. VOUCHERIFY_MOCK_PORT), else on the mockPort in redocly.yaml.
  commerce-mocks proxy <name> <upstream-url> [--port N] [--host H]
      Forward every request to a real host and report each request or response that breaks
      the spec. Send your own credentials; they are passed through.

Options:
  --dynamic   answer with data generated from the schemas instead of the examples
  --seed N    seed for generated data, so runs repeat (default ${DEFAULT_SEED})
  --port N    proxy only: port to listen on (default: the API's mock port)
  --host H    interface to listen on (default 127.0.0.1)
  -h, --help  show this help`;

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
      seed: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return [];
  }
  const log = (line: string) => console.log(line);
  const seed = integer("--seed", values.seed);
  const port = integer("--port", values.port);
  const [command, ...rest] = positionals;

  if (command === "proxy") {
    const [name, upstream, ...extra] = rest;
    if (name === undefined || upstream === undefined || extra.length > 0) {
      throw new Error(`proxy takes an API name and an upstream URL\n\n${USAGE}`);
    }
    if (values.dynamic || seed !== undefined) throw new Error("--dynamic and --seed apply to mocks, not to the proxy");
    const proxy = await startProxy(name, upstream, { port, host: values.host, log });
    console.log(`${getApi(name).title} validation proxy  ${proxy.url} -> ${upstream}`);
    console.log("Each request and response that breaks the spec is reported below, and in its sl-violations header.");
    return [proxy];
  }

  if (port !== undefined) throw new Error("--port is for the proxy; set each mock's port variable instead");
  const names = command === "start" ? rest : positionals;
  const mocks = await startMocks({
    names: names.length > 0 ? names : undefined,
    host: values.host,
    dynamic: values.dynamic,
    seed,
    log,
  });
  for (const mock of mocks) console.log(`${getApi(mock.name).title} mock  ${mock.url}`);
  if (values.dynamic) console.log(`Responses are generated from the schemas (seed ${seed ?? DEFAULT_SEED}).`);
  return mocks;
}

try {
  // pnpm passes a `--` separator through to the script (`pnpm start -- --dynamic`), where
  // parseArgs would read every later flag as a name; npm users type it by habit.
  const args = process.argv.slice(2);
  if (args[0] === "--") args.shift();
  const servers = await run(args);
  if (servers.length > 0) {
    console.log("Press Ctrl-C to stop.");
    // `once`: a second Ctrl-C during shutdown falls through to Node's default and kills the process.
    const stop = () =>
      Promise.all(servers.map((server) => server.close())).catch((error: unknown) => {
        console.error(`could not close cleanly: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      });
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
