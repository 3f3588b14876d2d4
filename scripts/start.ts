/**
 * `pnpm start [--stateful]`: serves every API's mock and the docs site in the foreground until
 * Ctrl-C (SIGINT) or SIGTERM. `--stateful` gives each mock its own store (see the mocks' README). All ports are checked before anything starts, so a taken
 * port stops it with the port and the variable to change, and nothing is left half-running.
 */
import { createServer } from "node:net";
import { parseArgs } from "node:util";
import { serveDocs } from "@commerce-api/docs";
import { startMocks } from "@commerce-api/mocks";
import { listApis } from "@commerce-api/specs";

const HOST = "127.0.0.1";

interface PortRequest {
  label: string;
  envVar: string;
  port: number;
}

function portFromEnv(envVar: string, fallback: number): number {
  const raw = process.env[envVar];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${envVar}=${raw} is not a port number (0-65535)`);
  }
  return port;
}

/** Resolves if `port` can be bound on HOST right now; 0 (any free port) always can. */
function assertPortFree({ label, envVar, port }: PortRequest): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      const reason = error.code === "EADDRINUSE" ? "is already in use" : `cannot be bound (${error.code})`;
      reject(new Error(`${label}: port ${port} on ${HOST} ${reason}; set ${envVar} to a free port.`));
    });
    probe.listen({ port, host: HOST, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** What to close on SIGINT/SIGTERM; filled in as servers start. */
const closers: (() => Promise<unknown>)[] = [];
let stopping = false;

async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping mocks and docs…`);
  await Promise.all(closers.map((close) => close()));
  process.exit(0);
}

async function main(): Promise<void> {
  // pnpm passes a `--` separator through when it is typed (`pnpm start -- --stateful`).
  const args = process.argv.slice(2).filter((arg, index) => index > 0 || arg !== "--");
  const { values } = parseArgs({ args, options: { stateful: { type: "boolean", default: false } } });

  // Installed before anything starts: until a handler exists, the OS default action for
  // these signals kills the process outright, and a caller may signal as soon as it sees
  // the URLs.
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  const mockPorts = listApis().map((api) => ({
    label: `${api.title} mock`,
    envVar: api.mockPortEnv,
    port: portFromEnv(api.mockPortEnv, api.mockPort),
    name: api.name,
  }));
  const docsPort = { label: "docs site", envVar: "DOCS_PORT", port: portFromEnv("DOCS_PORT", 8080) };

  const problems = (
    await Promise.allSettled([...mockPorts, docsPort].map((request) => assertPortFree(request)))
  ).flatMap((result) => (result.status === "rejected" ? [(result.reason as Error).message] : []));
  if (problems.length > 0) throw new Error(problems.join("\n"));

  const mocks = await startMocks({
    stateful: values.stateful,
    ports: Object.fromEntries(mockPorts.map(({ name, port }) => [name, port])),
    log: (line) => console.log(line),
  });
  const closeMocks = () => Promise.all(mocks.map((mock) => mock.close()));
  closers.push(closeMocks);
  const docs = await serveDocs({ port: docsPort.port, host: HOST }).catch(async (error: unknown) => {
    await closeMocks();
    throw error;
  });
  closers.push(() => docs.close());

  for (const mock of mocks) console.log(`${mock.name} mock  ${mock.url}${values.stateful ? " (stateful)" : ""}`);
  console.log(`docs site  ${docs.url}`);
  console.log("Ready. Press Ctrl-C to stop.");
}

main().catch((error: unknown) => {
  console.error(`pnpm start failed:\n${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
