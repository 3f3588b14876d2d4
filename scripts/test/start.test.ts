/**
 * `pnpm start` on a scratch copy of the fixture API: it serves the mock and the docs site,
 * stops cleanly, refuses taken ports, and reloads the mock and the docs page on a save.
 * The live-reload tests wait for the lines start prints, never for a fixed time.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { buildSite, toDocsApi } from "@commerce-api/docs/site";
import { listApis, repoRoot } from "@commerce-api/specs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { fixtureApi, scratchRepo } from "./scratch-repo.ts";

const run = promisify(execFile);
const startScript = fileURLToPath(new URL("../start.ts", import.meta.url));
const bundleScript = fileURLToPath(new URL("../bundle.ts", import.meta.url));
const MOCK_PORT_ENV = "PETS_MOCK_PORT";
const children: ChildProcess[] = [];
const blockers: Server[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await Promise.all(blockers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A port that was free a moment ago, for tests that need to know the number in advance. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function isListening(port: number): Promise<boolean> {
  const probe = createServer();
  probe.listen(port, "127.0.0.1");
  const [event] = await Promise.race([once(probe, "listening"), once(probe, "error")]).then(
    () => ["free"],
    () => ["taken"],
  );
  probe.close();
  return event === "taken";
}

/** A scratch repo with the fixture API bundled, as `pnpm start`'s turbo step leaves the real one. */
async function bundledRepo() {
  const repo = await scratchRepo();
  await run(process.execPath, [bundleScript, "--config", repo.configPath]);
  return { ...repo, pathFile: join(repo.dir, "specs/pets/paths/pets_{petId}.yaml") };
}

/** The fixture API's docs site, built once: each start copies it, as it copies the real one. */
let builtSite: string;

function start(configPath: string, env: Record<string, string>) {
  const args = [startScript, "--config", configPath, "--site", builtSite];
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: "pipe" });
  children.push(child);
  let output = "";
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk;
    for (const check of waiters) check();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = once(child, "exit").then(([code]) => code as number | null);
  /** Resolves with the output once `text` appears after character `from`. */
  const waitFor = (text: string, from = 0) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if (!output.includes(text, from)) return;
        waiters.delete(check);
        resolve(output);
      };
      waiters.add(check);
      check();
      exited.then(() => reject(new Error(`start exited before printing "${text}":\n${output}`)));
    });
  const ready = waitFor("Ready.");
  // Tests of refused starts never await `ready`; its rejection is expected there.
  ready.catch(() => {});
  return { child, ready, exited, waitFor, output: () => output };
}

const portEnv = async () => ({ [MOCK_PORT_ENV]: String(await freePort()), DOCS_PORT: String(await freePort()) });

/** GET /pets/1 from the mock: the name of the pet in its first example. */
async function petName(env: Record<string, string>): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${env[MOCK_PORT_ENV]}/pets/1`, { headers: { "X-Api-Key": "key" } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { name: string }).name;
}

/**
 * The lines `pnpm start` prints once ready, as the README's quick start quotes them: its first
 * `text` block. The README shows one line per API in the list at its default port; the fixture
 * run prints one for its own API, so both sides write an API's line as `<api> mock  <url>`,
 * checking first that it names a listed API at its default (README) or assigned (run) port.
 */
async function quickStartOutput(): Promise<string> {
  const readme = await readFile(join(repoRoot, "README.md"), "utf8");
  const block = /^( *)```text\n([\s\S]*?)^ *```/m.exec(readme.slice(readme.indexOf("## Quick start")));
  if (!block) throw new Error("README.md's quick start shows no ```text output");
  const [, indent = "", text = ""] = block;
  const apiLines = new Set(listApis().map((api) => `${api.name} mock  http://127.0.0.1:${api.mockPort}`));
  return asTemplate(text.replaceAll(new RegExp(`^${indent}`, "gm"), ""), apiLines);
}

function asTemplate(output: string, apiLines: Set<string>): string {
  const lines = output
    .trimEnd()
    .split("\n")
    .map((line) => (apiLines.has(line) ? "<api> mock  <url>" : line));
  return lines.filter((line, index) => line !== "<api> mock  <url>" || lines[index - 1] !== line).join("\n");
}

/** The docs site's live-reload events, as the open tabs receive them. */
async function listenForReloads(docsUrl: string) {
  const events: string[][] = [];
  const controller = new AbortController();
  const response = await fetch(`${docsUrl}__live-reload`, { signal: controller.signal });
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  let next: (() => void) | undefined;
  (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (const [, data] of buffer.matchAll(/^data: (.*)$/gm)) events.push(JSON.parse(data as string));
      buffer = buffer.slice(buffer.lastIndexOf("\n") + 1);
      next?.();
    }
  })().catch(() => {});
  const until = (page: string) =>
    new Promise<void>((resolve) => {
      next = () => events.some((pages) => pages.includes(page)) && resolve();
      next();
    });
  return { events, until, stop: () => controller.abort() };
}

describe("pnpm start", () => {
  let repo: Awaited<ReturnType<typeof bundledRepo>>;
  beforeAll(async () => {
    repo = await bundledRepo();
    builtSite = join(repo.dir, "site");
    const apis = await Promise.all(listApis(repo.configPath).map((api) => toDocsApi(api)));
    await buildSite({ apis, outDir: builtSite });
  });

  it("serves every mock and the docs site on 127.0.0.1, prints their URLs, and stops cleanly on SIGTERM", async () => {
    const env = await portEnv();
    const server = start(repo.configPath, env);
    const output = await server.ready;

    const url = `http://127.0.0.1:${env[MOCK_PORT_ENV]}`;
    expect(output).toContain(url);
    expect(await petName(env)).toBe("Rex");
    expect((await fetch(`${url}/no-such-path`)).status).toBe(404);
    const docsUrl = `http://127.0.0.1:${env.DOCS_PORT}`;
    expect(output).toContain(docsUrl);
    expect((await fetch(`${docsUrl}/`)).status).toBe(200);
    expect(await (await fetch(`${docsUrl}/pets.html`)).text()).toContain("Rex");
    // What the README's quick start quotes, with the docs site on its default port.
    const printed = output.replaceAll(docsUrl, "http://127.0.0.1:8080");
    expect(asTemplate(printed, new Set([`${fixtureApi.name} mock  ${url}`]))).toBe(await quickStartOutput());

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    for (const port of Object.values(env)) expect(await isListening(Number(port))).toBe(false);
  });

  it("also stops cleanly on SIGINT (Ctrl-C)", async () => {
    const server = start(repo.configPath, await portEnv());
    await server.ready;
    server.child.kill("SIGINT");
    expect(await server.exited).toBe(0);
  });

  it("refuses to start when a port is taken, naming the port and its variable, and starts nothing", async () => {
    const env = await portEnv();
    const blocker = createServer().listen(Number(env.DOCS_PORT), "127.0.0.1");
    blockers.push(blocker);
    await once(blocker, "listening");

    const server = start(repo.configPath, env);

    expect(await server.exited).toBe(1);
    expect(server.output()).toContain(`port ${env.DOCS_PORT}`);
    expect(server.output()).toContain("set DOCS_PORT to a free port");
    expect(await isListening(Number(env[MOCK_PORT_ENV]))).toBe(false);
  });

  it("rejects a port variable that is not a number, naming the variable", async () => {
    const server = start(repo.configPath, { ...(await portEnv()), DOCS_PORT: "eighty" });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain("DOCS_PORT=eighty is not a port number");
  });

  // A save lints, bundles and reloads in about a second, but the docs page is a Redoc build
  // that has taken over 30 s on a loaded 2-core machine: these tests wait for it, however long.
  describe("on a save", { timeout: 240_000 }, () => {
    it("reloads the API's mock on the same port, rebuilds its docs page and tells the open tabs", async () => {
      const { configPath, pathFile } = await bundledRepo();
      const env = await portEnv();
      const server = start(configPath, env);
      await server.ready;
      const tabs = await listenForReloads(`http://127.0.0.1:${env.DOCS_PORT}/`);
      try {
        const from = server.output().length;
        await writeFile(pathFile, (await readFile(pathFile, "utf8")).replace("name: Rex", "name: Max"));

        await server.waitFor(`[${fixtureApi.name}] mock reloaded`, from);
        expect(await petName(env)).toBe("Max");
        await server.waitFor(`[${fixtureApi.name}] docs page rebuilt`, from);
        await tabs.until("pets.html");
        const page = await (await fetch(`http://127.0.0.1:${env.DOCS_PORT}/pets.html`)).text();
        expect(page).toContain("Max");
        expect(page).toContain("__live-reload");
      } finally {
        tabs.stop();
      }
    });

    it("keeps the last good mock serving while the spec is broken, names the file and line once, and serves the fix", async () => {
      const { configPath, pathFile } = await bundledRepo();
      const env = await portEnv();
      const server = start(configPath, env);
      await server.ready;
      const good = await readFile(pathFile, "utf8");

      const beforeBreak = server.output().length;
      // An operation without a description breaks a rule of redocly.yaml.
      const broken = good
        .replace("  description: Returns one pet by its number.\n", "")
        .replace("name: Rex", "name: Broken");
      await writeFile(pathFile, broken);
      const output = await server.waitFor("spec is broken", beforeBreak);
      expect(output.slice(beforeBreak)).toMatch(
        /specs\/pets\/paths\/pets_\{petId\}\.yaml:\d+:\d+ error operation-description/,
      );
      expect(await petName(env)).toBe("Rex");

      const beforeFix = server.output().length;
      await writeFile(pathFile, good.replace("name: Rex", "name: Max"));
      await server.waitFor(`[${fixtureApi.name}] mock reloaded`, beforeFix);
      expect(await petName(env)).toBe("Max");
      expect(server.output().split("spec is broken").length - 1).toBe(1);
    });
  });
});
