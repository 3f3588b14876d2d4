/**
 * `pnpm start [--stateful]`: serves every API's mock and the docs site in the foreground until
 * Ctrl-C (SIGINT) or SIGTERM, and reloads them as the specs change. `--stateful` gives each
 * mock its own store (see the mocks' README). All ports are checked before anything starts,
 * so a taken port stops it with the port and the variable to change, and nothing is left
 * half-running.
 *
 * Live reload: a save under an API's spec folder lints that API (problems printed as
 * file:line:column), rebundles it, reloads its mock in place (same port, other mocks
 * untouched) and rebuilds its docs page, which open browser tabs then reload. A spec that
 * fails lint or bundling says so once per save and the last good mock and page keep serving.
 * Lint and bundle run in-process, and the live bundles go to this run's own folder: the
 * bundles in specs/<api>/dist/ stay the build's (turbo's) alone.
 *
 *   node scripts/start.ts [--stateful] [--config path/to/redocly.yaml] [--site built/site/dir]
 */
import { existsSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { serveDocs, siteDir } from "@commerce-api/docs";
import { buildSite, rebuildApiPage, toDocsApi } from "@commerce-api/docs/site";
import { type ApiDefinition, defaultConfigPath, listApis } from "@commerce-api/specs";
// The mocks from source: their build also ships every API's bundle, and the pipeline's tests
// (which start this script on a fixture API) must not wait for, or rerun on, a spec edit.
import { type RunningMock, startMocks } from "../packages/mocks/src/index.ts";
import { writeFileAtomic } from "./lib/fs.ts";
import { bundleInMemory, formatProblem, lintApi } from "./lib/spec-tasks.ts";
import { watchSpecs } from "./lib/watch-specs.ts";

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
  for (const close of closers.reverse()) await close();
  process.exit(0);
}

/**
 * This run's own folder: a copy of the site (so live rebuilds never touch the docs package's
 * build output), copied from `builtSite` when it is built, else built from the bundles; and
 * the bundles of saved specs.
 */
async function workspace(apis: ApiDefinition[], builtSite: string): Promise<{ site: string; bundles: string }> {
  const workDir = await mkdtemp(join(tmpdir(), "commerce-api-start-"));
  closers.push(() => rm(workDir, { recursive: true, force: true }));
  const site = join(workDir, "site");
  if (existsSync(join(builtSite, "index.html"))) await cp(builtSite, site, { recursive: true });
  else await buildSite({ apis: await Promise.all(apis.map((api) => toDocsApi(api))), outDir: site });
  return { site, bundles: join(workDir, "bundles") };
}

async function main(): Promise<void> {
  // pnpm passes a `--` separator through when it is typed (`pnpm start -- --stateful`).
  const args = process.argv.slice(2).filter((arg, index) => index > 0 || arg !== "--");
  const { values } = parseArgs({
    args,
    options: {
      stateful: { type: "boolean", default: false },
      config: { type: "string", default: defaultConfigPath },
      site: { type: "string", default: siteDir },
    },
  });

  // Installed before anything starts: until a handler exists, the OS default action for
  // these signals kills the process outright, and a caller may signal as soon as it sees
  // the URLs.
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  const apis = listApis(values.config);
  const mockPorts = apis.map((api) => ({
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

  const { site, bundles } = await workspace(apis, values.site);
  const mocks = await startMocks({
    configPath: values.config,
    stateful: values.stateful,
    ports: Object.fromEntries(mockPorts.map(({ name, port }) => [name, port])),
    log: (line) => console.log(line),
  });
  closers.push(() => Promise.all(mocks.map((mock) => mock.close())));
  const docs = await serveDocs({ port: docsPort.port, host: HOST, dir: site, live: true });
  closers.push(() => docs.close());

  const live: Live = {
    mocks: new Map(mocks.map((mock) => [mock.name, mock])),
    bundles: new Map(apis.map((api) => [api.name, api.bundlePath])),
    bundleDir: bundles,
    apis,
    site,
    reloadPages: docs.reload,
  };
  const watcher = watchSpecs({ apis, onSave: (api, files) => reloadApi(api, files, live) });
  closers.push(async () => watcher.close());

  for (const mock of mocks) console.log(`${mock.name} mock  ${mock.url}${values.stateful ? " (stateful)" : ""}`);
  console.log(`docs site  ${docs.url}`);
  console.log("Watching the specs: a save lints, rebundles and reloads that API's mock and docs page.");
  console.log("Ready. Press Ctrl-C to stop.");
}

interface Live {
  mocks: Map<string, RunningMock>;
  /** Where each API's current bundle is: its build's, until a save bundles it here. */
  bundles: Map<string, string>;
  bundleDir: string;
  apis: ApiDefinition[];
  site: string;
  reloadPages(pages: string[]): void;
}

/** One save of `api`: lint and bundle, then (only if both pass) the mock, then the docs page. */
async function reloadApi(api: ApiDefinition, files: string[], live: Live): Promise<void> {
  const started = performance.now();
  const elapsed = () => `${Math.round(performance.now() - started)} ms`;
  console.log(`[${api.name}] changed: ${files.join(", ")}`);
  const [lint, bundle] = await Promise.allSettled([lintApi(api), bundleInMemory(api)]);
  const problems = lint.status === "fulfilled" ? lint.value.problems : [];
  for (const problem of problems) console.log(`[${api.name}] ${formatProblem(problem)}`);
  const broken = [
    ...(lint.status === "rejected" ? [(lint.reason as Error).message] : []),
    ...(bundle.status === "rejected" ? [(bundle.reason as Error).message] : []),
  ];
  const errors = problems.filter((problem) => problem.severity === "error").length;
  if (errors > 0 || broken.length > 0 || bundle.status === "rejected") {
    for (const message of broken) console.log(`[${api.name}] ${message}`);
    console.log(`[${api.name}] spec is broken (${elapsed()}): still serving the last good mock and docs page.`);
    return;
  }
  const bundlePath = join(live.bundleDir, `${api.name}.json`);
  await writeFileAtomic(bundlePath, `${JSON.stringify(bundle.value, null, 2)}\n`);
  live.bundles.set(api.name, bundlePath);
  await live.mocks.get(api.name)?.reload(bundlePath);
  console.log(`[${api.name}] mock reloaded (${elapsed()}).`);
  try {
    const pages = await rebuildApiPage({
      api: await toDocsApi(api, bundlePath),
      apis: await Promise.all(live.apis.map((entry) => toDocsApi(entry, live.bundles.get(entry.name)))),
      siteDir: live.site,
    });
    live.reloadPages(pages);
    console.log(`[${api.name}] docs page rebuilt (${elapsed()}).`);
  } catch (error) {
    console.log(`[${api.name}] docs page not rebuilt, the previous one stays:\n${(error as Error).message}`);
  }
}

main().catch(async (error: unknown) => {
  console.error(`pnpm start failed:\n${error instanceof Error ? error.message : String(error)}`);
  // Whatever did start is stopped again, so a failed start leaves nothing running.
  for (const close of closers.reverse()) await close().catch(() => {});
  process.exit(1);
});
