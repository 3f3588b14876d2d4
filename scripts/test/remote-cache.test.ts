/**
 * The shared build cache: `pnpm cache:serve` (the turborepo-remote-cache server with this
 * repository's defaults), and turbo's client side as turbo.json sets it up, run for real on a
 * tiny scratch workspace (one package, one task) that carries this repository's global turbo
 * settings: a clone fills the remote cache, another clone with an empty local cache replays it.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { repoRoot } from "../../specs/index.ts";

const run = promisify(execFile);
const TOKEN = "remote-cache-test-token";
const SIGNATURE_KEY = "a-signature-key-of-at-least-32-bytes";
const TEAM = "team_scratch";
// The server loads the package's whole storage layer (cloud SDKs included) at start-up: on two
// busy cores that alone has taken over 30 s.
const SERVER_START_TIMEOUT_MS = 120_000;
const turboBin = join(repoRoot, "node_modules", ".bin", "turbo");

interface CacheServer {
  url: string;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `pnpm cache:serve` on a port the OS picks, storing in `storageDir`. */
async function startCacheServer(storageDir: string): Promise<CacheServer> {
  const child = spawn(process.execPath, [join(repoRoot, "scripts", "cache-serve.ts")], {
    env: { PATH: process.env.PATH, TURBO_TOKEN: TOKEN, TURBO_CACHE_PORT: "0", STORAGE_PATH: storageDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const url = await listeningUrl(child, () => output);
  return {
    url,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, "exit");
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/** The address the server's log says it listens on (it picks the port: TURBO_CACHE_PORT=0). */
async function listeningUrl(child: ChildProcess, output: () => string): Promise<string> {
  const exited = once(child, "exit").then(() => {
    throw new Error(`cache server exited before listening:\n${output()}`);
  });
  const listening = new Promise<string>((resolve) => {
    const check = () => {
      const match = /Server listening at (http:\/\/[^"\s]+)/.exec(output());
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on("data", check);
    check();
  });
  return Promise.race([listening, exited]);
}

/**
 * A git repository with one package whose `build` writes dist/out.txt (different on every
 * run, so a replay is told apart from a rerun by its content) and this repository's turbo.json
 * without its tasks.
 */
async function scratchWorkspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "remote-cache-origin-"));
  const { config } = ts.parseConfigFileTextToJson("turbo.json", await readFile(join(repoRoot, "turbo.json"), "utf8"));
  const { stdout: npmVersion } = await run("npm", ["--version"]);
  const files: Record<string, unknown> = {
    "turbo.json": { ...config, tasks: { build: { outputs: ["dist/**"] } } },
    "package.json": {
      name: "scratch",
      private: true,
      packageManager: `npm@${npmVersion.trim()}`,
      workspaces: ["pkg"],
    },
    "package-lock.json": {
      name: "scratch",
      lockfileVersion: 3,
      requires: true,
      packages: {
        "": { name: "scratch", workspaces: ["pkg"] },
        "node_modules/pkg": { resolved: "pkg", link: true },
        pkg: { version: "0.0.0" },
      },
    },
    "pkg/package.json": { name: "pkg", version: "0.0.0", scripts: { build: "node build.js" } },
  };
  await mkdir(join(dir, "pkg"));
  for (const [path, content] of Object.entries(files)) {
    await writeFile(join(dir, path), `${JSON.stringify(content, null, 2)}\n`);
  }
  await writeFile(
    join(dir, "pkg", "build.js"),
    'const fs = require("node:fs");\nfs.mkdirSync("dist", { recursive: true });\nfs.writeFileSync("dist/out.txt", String(Math.random()));\n',
  );
  await writeFile(join(dir, ".gitignore"), "node_modules/\n.turbo/\ndist/\n");
  await git(dir, "init", "--quiet");
  await git(dir, "add", "--all");
  await git(dir, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", "scratch");
  return dir;
}

const git = (cwd: string, ...args: string[]) => run("git", args, { cwd });

async function clone(origin: string, name: string): Promise<string> {
  const dir = join(origin, "..", `${origin.split("/").at(-1)}-${name}`);
  await git(origin, "clone", "--quiet", origin, dir);
  return dir;
}

/** A turbo run's environment: only what is given, plus PATH and HOME. */
const turboEnv = (env: Record<string, string>) => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  TURBO_TELEMETRY_DISABLED: "1",
  ...env,
});

interface DryTask {
  taskId: string;
  hash: string;
  resolvedTaskDefinition: { cache: boolean };
  environmentVariables: { configured: string[]; passthrough: string[] | null };
}

/** turbo's plan (`--dry=json`) for `args` in `cwd`, without running anything. */
async function dryRun(cwd: string, args: string[], env: Record<string, string>): Promise<DryTask[]> {
  const { stdout } = await run(turboBin, ["run", ...args, "--dry=json"], {
    cwd,
    env: turboEnv(env),
    maxBuffer: 64 * 1024 * 1024,
  });
  return (JSON.parse(stdout) as { tasks: DryTask[] }).tasks;
}

interface TurboRun {
  output: string;
  /** Whether the one task was replayed from a cache or ran (a miss, or forced). */
  cache: "hit" | "miss";
  built: string;
}

/** `turbo run build` in `dir` with only the variables given (plus PATH and HOME). */
async function turboBuild(dir: string, env: Record<string, string>): Promise<TurboRun> {
  const { stdout, stderr } = await run(turboBin, ["run", "build", "--no-color"], {
    cwd: dir,
    env: turboEnv(env),
  });
  const output = stdout + stderr;
  const cache = /pkg:build: cache hit/.test(output)
    ? "hit"
    : /pkg:build: cache (miss|bypass)/.test(output)
      ? "miss"
      : undefined;
  if (cache === undefined) throw new Error(`turbo printed neither a hit nor a miss:\n${output}`);
  return { output, cache, built: await readFile(join(dir, "pkg", "dist", "out.txt"), "utf8") };
}

/** turboBuild in a clone whose local cache was just emptied, so a hit can only come from remote. */
async function turboBuildWithoutLocalCache(dir: string, env: Record<string, string>): Promise<TurboRun> {
  await rm(join(dir, ".turbo"), { recursive: true, force: true });
  return turboBuild(dir, env);
}

const warnings = (output: string) => output.split("\n").filter((line) => /WARNING.*(remote|cache)/i.test(line));

describe("pnpm cache:serve", () => {
  test("refuses to start without TURBO_TOKEN and says why, without printing any token", async () => {
    const result = await run(process.execPath, [join(repoRoot, "scripts", "cache-serve.ts")], {
      env: { PATH: process.env.PATH, TURBO_TOKEN: "  " },
    }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(result).toMatchObject({ code: 1 });
    expect(result.stderr).toContain("TURBO_TOKEN is not set");
  });

  test(
    "listens on 127.0.0.1 only, answers /v8/artifacts/status without a token, refuses artifacts without the right one, and stops on SIGTERM",
    async () => {
      const storage = await mkdtemp(join(tmpdir(), "remote-cache-store-"));
      const server = await startCacheServer(storage);
      try {
        const url = new URL(server.url);
        expect(url.hostname).toBe("127.0.0.1");
        // Another loopback address: a server bound to every interface would answer here too.
        await expect(fetch(`http://127.0.0.2:${url.port}/v8/artifacts/status`)).rejects.toThrow();

        const status = await fetch(`${server.url}/v8/artifacts/status`);
        expect(status.status).toBe(200);
        const artifact = `${server.url}/v8/artifacts/0123456789abcdef?slug=${TEAM}`;
        expect((await fetch(artifact)).status).toBe(400);
        const wrong = { authorization: "Bearer not-the-token" };
        expect((await fetch(artifact, { headers: wrong })).status).toBe(401);
        const put = await fetch(artifact, {
          method: "PUT",
          headers: { ...wrong, "content-type": "application/octet-stream" },
          body: "x",
        });
        expect(put.status).toBe(401);
        expect((await fetch(artifact, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
      } finally {
        expect(await server.stop("SIGTERM")).toBe(0);
        await rm(storage, { recursive: true, force: true });
      }
      expect(server.output()).toContain("Gracefully closing");
      expect(server.output()).not.toContain(TOKEN);
    },
    SERVER_START_TIMEOUT_MS,
  );
});

describe("turbo with the remote cache", () => {
  let origin: string;
  let storage: string;
  let server: CacheServer;
  let remote: Record<string, string>;
  const node24 = { NODE_RUNTIME_MAJOR: "24" };

  beforeAll(async () => {
    origin = await scratchWorkspace();
    storage = await mkdtemp(join(tmpdir(), "remote-cache-store-"));
    server = await startCacheServer(storage);
    remote = {
      TURBO_API: server.url,
      TURBO_TOKEN: TOKEN,
      TURBO_TEAM: TEAM,
      TURBO_REMOTE_CACHE_SIGNATURE_KEY: SIGNATURE_KEY,
    };
  }, SERVER_START_TIMEOUT_MS);

  afterAll(async () => {
    await server?.stop();
    for (const dir of [origin, `${origin}-a`, `${origin}-b`, `${origin}-c`, storage]) {
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  });

  /** The stored artifact and its signature, the only two files of that one task. */
  const storedArtifact = () => join(storage, TEAM, hashOf(lastOutput));
  let lastOutput = "";
  const hashOf = (output: string) => {
    const match = /pkg:build: cache (?:hit|miss|bypass), (?:replaying logs|executing|force executing) ([0-9a-f]+)/.exec(
      output,
    );
    if (!match?.[1]) throw new Error(`no task hash in:\n${output}`);
    return match[1];
  };

  test("a clone fills the remote cache with a signed artifact; another clone with an empty local cache replays it", async () => {
    const a = await clone(origin, "a");
    const filled = await turboBuild(a, { ...node24, ...remote });
    expect(filled.cache).toBe("miss");
    lastOutput = filled.output;
    expect((await readFile(`${storedArtifact()}.tag`, "utf8")).length).toBeGreaterThan(0);

    const b = await clone(origin, "b");
    const replayed = await turboBuild(b, { ...node24, ...remote });
    expect(replayed.cache).toBe("hit");
    expect(replayed.output).toContain("FULL TURBO");
    expect(replayed.built).toBe(filled.built);
    expect(warnings(replayed.output)).toEqual([]);
  });

  test("an artifact changed in storage is refused and the task runs again", async () => {
    const a = `${origin}-a`;
    const b = `${origin}-b`;
    const signedFirst = await readFile(`${storedArtifact()}.tag`, "utf8");
    // A second, equally valid artifact for the same task (forced rerun: new content, new
    // signature); then the first signature is put back beside it, as a swap in storage would.
    const forced = await turboBuild(a, { ...node24, ...remote, TURBO_FORCE: "true" });
    expect(forced.cache).toBe("miss");
    await writeFile(`${storedArtifact()}.tag`, signedFirst);

    const refused = await turboBuildWithoutLocalCache(b, { ...node24, ...remote });
    expect(refused.cache).toBe("miss");
    expect(refused.built).not.toBe(forced.built);
  });

  test("a run under another Node major misses the cache that the first one filled", async () => {
    const c = await clone(origin, "c");
    const node26 = await turboBuild(c, { NODE_RUNTIME_MAJOR: "26", ...remote });
    expect(node26.cache).toBe("miss");
    expect(hashOf(node26.output)).not.toBe(hashOf(lastOutput));
    expect((await turboBuildWithoutLocalCache(c, { ...node24, ...remote })).cache).toBe("hit");
  });

  test.each<{ broken: string; env: Record<string, string>; warned: unknown[] }>([
    {
      broken: "a wrong token",
      env: { TURBO_TOKEN: "not-the-token" },
      warned: [expect.stringContaining("401 Unauthorized")],
    },
    {
      broken: "the server down",
      env: { TURBO_API: "http://127.0.0.1:9" },
      // turbo's own two lines: the unreachable address in the run's header, and once at the end.
      warned: [
        expect.stringContaining('Remote caching unavailable (Could not connect to "http://127.0.0.1:9")'),
        expect.stringContaining("could not connect to the cache"),
      ],
    },
  ])("with $broken the run still passes with turbo's warning, and fills its local cache", async ({ env, warned }) => {
    const b = `${origin}-b`;
    const broken = { ...node24, ...remote, ...env };
    const first = await turboBuildWithoutLocalCache(b, broken);
    expect(first.cache).toBe("miss");
    expect(warnings(first.output)).toEqual(warned);
    expect((await turboBuild(b, broken)).cache).toBe("hit");
  });

  test("without the remote variables the cache is local only, as before, though signing is configured and no key is set", async () => {
    const b = `${origin}-b`;
    const first = await turboBuildWithoutLocalCache(b, node24);
    expect(first.output).toContain("Remote caching disabled");
    expect(first.cache).toBe("miss");
    const second = await turboBuild(b, node24);
    expect(second.cache).toBe("hit");
    expect(warnings(second.output)).toEqual([]);
  });
});

describe("this repository's tasks", () => {
  test("have the same cache keys in two clones of one commit, so one clone can replay what another filled", async () => {
    const parent = await mkdtemp(join(tmpdir(), "remote-cache-clones-"));
    try {
      const plans = await Promise.all(
        ["a", "b"].map(async (name) => {
          const dir = join(parent, name);
          await git(parent, "clone", "--quiet", repoRoot, dir);
          const tasks = await dryRun(dir, ["check:code", "lint", "typecheck", "test"], { NODE_RUNTIME_MAJOR: "24" });
          return Object.fromEntries(tasks.map((task) => [task.taskId, task.hash]));
        }),
      );
      expect(Object.keys(plans[0] ?? {}).length).toBeGreaterThan(20);
      expect(plans[1]).toEqual(plans[0]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
