/**
 * `pnpm start`'s live reload: from saving a spec to the mock answering with the edited
 * example, beside `prism mock`'s own reload of the same edit (its CLI watches the spec file
 * and restarts), and from the same save to the docs page showing it. Both serve one
 * single-file spec (the pipeline tests' fixture API, bundled), because the prism CLI watches
 * only the file it was given.
 */
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { repoRoot } from "@commerce-api/specs";
import { fixtureApi, scratchRepo } from "../../scripts/test/scratch-repo.ts";
import { type Benchmark, measurement, reference } from "./figure.ts";
import { freePort } from "./process.ts";

const run = promisify(execFile);
const TARGET_MS = 2000;
const TIMEOUT_MS = 60_000;
const POLL_MS = 10;
const prismCli = createRequire(join(repoRoot, "packages/mocks/package.json")).resolve(
  "@stoplight/prism-cli/dist/index.js",
);
const PET_PATH = "/pets/1";

/** A scratch repo whose one API is the fixture, bundled into a single openapi.yaml (JSON is YAML). */
async function singleFileRepo(): Promise<{ dir: string; configPath: string; specPath: string }> {
  const { dir, configPath } = await scratchRepo();
  const specPath = join(dir, fixtureApi.specFile);
  const redocly = join(repoRoot, "scripts/node_modules/.bin/redocly");
  await run(redocly, ["bundle", specPath, "--ext", "json", "--output", `${specPath}.json`]);
  await rename(`${specPath}.json`, specPath);
  // The start script serves the bundle from the first moment, as `pnpm start` after turbo's build.
  await run(process.execPath, [join(repoRoot, "scripts/bundle.ts"), "--config", configPath]);
  return { dir, configPath, specPath };
}

function spawnServer(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: "pipe", detached: true });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const closed = once(child, "close");
    // The whole process group: pnpm start's own children (Redocly) go too.
    process.kill(-(child.pid as number), "SIGTERM");
    await closed;
  };
  return { output: () => output, stop };
}

/** Polls until `check` passes; returns the milliseconds since `since`. */
async function until(since: number, what: string, check: () => Promise<boolean>): Promise<number> {
  for (;;) {
    if (await check().catch(() => false)) return performance.now() - since;
    if (performance.now() - since > TIMEOUT_MS) throw new Error(`${what}: not seen within ${TIMEOUT_MS} ms`);
    await sleep(POLL_MS);
  }
}

const servesName = (port: number, name: string) => async () => {
  const response = await fetch(`http://127.0.0.1:${port}${PET_PATH}`, { headers: { "X-Api-Key": "key" } });
  return ((await response.json()) as { name?: string }).name === name;
};

export const liveReload: Benchmark = {
  name: "live-reload",
  async run({ quick, log }) {
    const runs = quick ? 2 : 5;
    const ours = await singleFileRepo();
    const prism = await singleFileRepo();
    const [mockPort, docsPort, prismPort] = [await freePort(), await freePort(), await freePort()];
    const builtSite = join(repoRoot, "packages/docs/dist/site");
    const start = spawnServer(
      [
        join(repoRoot, "scripts/start.ts"),
        "--config",
        ours.configPath,
        "--site",
        existsSync(builtSite) ? builtSite : join(ours.dir, "no-site"),
      ],
      { [`${fixtureApi.name.toUpperCase()}_MOCK_PORT`]: String(mockPort), DOCS_PORT: String(docsPort) },
    );
    const prismServer = spawnServer([
      prismCli,
      "mock",
      "-h",
      "127.0.0.1",
      "-p",
      String(prismPort),
      "-m",
      "false",
      prism.specPath,
    ]);
    const times = { mock: [] as number[], prism: [] as number[], docs: [] as number[] };
    try {
      await until(performance.now(), "pnpm start ready", async () => start.output().includes("Ready."));
      await until(performance.now(), "prism mock ready", servesName(prismPort, "Rex"));
      let previous = "Rex";
      for (let index = 0; index < runs; index++) {
        const name = `Pet${index}`;
        // Alternate which goes first, so neither always gets the warmer disk cache.
        for (const kind of index % 2 === 0 ? (["ours", "prism"] as const) : (["prism", "ours"] as const)) {
          const specPath = kind === "ours" ? ours.specPath : prism.specPath;
          const port = kind === "ours" ? mockPort : prismPort;
          const logFrom = start.output().length;
          await writeFile(
            specPath,
            (await readFile(specPath, "utf8")).replace(`"name": "${previous}"`, `"name": "${name}"`),
          );
          const saved = performance.now();
          if (kind === "prism") {
            times.prism.push(await until(saved, "prism reload", servesName(port, name)));
            continue;
          }
          times.mock.push(await until(saved, "mock reload", servesName(port, name)));
          times.docs.push(
            await until(saved, "docs page", async () => {
              if (!start.output().includes("docs page rebuilt", logFrom)) return false;
              return (await (await fetch(`http://127.0.0.1:${docsPort}/pets.html`)).text()).includes(name);
            }),
          );
        }
        previous = name;
        log(
          `  run ${index + 1}/${runs}: mock ${times.mock.at(-1)?.toFixed(0)} ms, prism ${times.prism.at(-1)?.toFixed(0)} ms, docs ${times.docs.at(-1)?.toFixed(0)} ms`,
        );
      }
    } finally {
      await start.stop();
      await prismServer.stop();
      await rm(ours.dir, { recursive: true, force: true });
      await rm(prism.dir, { recursive: true, force: true });
    }
    const mock = measurement("pnpm start (lint + bundle + reload in place)", "ms", times.mock);
    const docs = measurement("pnpm start: docs page rebuilt and served", "ms", times.docs);
    return [
      {
        bench: "live-reload",
        figure: "save -> the mock serves the edited example",
        measured: mock,
        references: [reference(mock, measurement("prism mock CLI's own reload", "ms", times.prism))],
        target: `under ${TARGET_MS / 1000} s`,
        met: mock.value < TARGET_MS,
        note: "the fixture API as one file, both watching it; prism's CLI restarts its server (after its 500 ms write-stability wait), ours lints first and keeps the last good spec when lint fails",
      },
      {
        bench: "live-reload",
        figure: "save -> the docs page shows the edit",
        measured: docs,
        references: [],
        target: "reported (Redoc page rebuild)",
        met: undefined,
        note: "from the save to the rebuilt page being served with the edit",
      },
    ];
  },
};
