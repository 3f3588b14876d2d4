import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { listApis } from "../../specs/index.ts";

const startScript = fileURLToPath(new URL("../start.ts", import.meta.url));
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

function start(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, [startScript, ...args], { env: { ...process.env, ...env }, stdio: "pipe" });
  children.push(child);
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => output.includes("Ready.") && resolve(output));
    exited.then(() => reject(new Error(`start exited before it was ready:\n${output}`)));
  });
  // Tests of refused starts never await `ready`; its rejection is expected there.
  ready.catch(() => {});
  return { child, ready, exited, output: () => output };
}

const portEnv = async () => {
  const env: Record<string, string> = {};
  for (const api of listApis()) env[api.mockPortEnv] = String(await freePort());
  env.DOCS_PORT = String(await freePort());
  return env;
};

describe("pnpm start", () => {
  it("serves every mock and the docs site on 127.0.0.1, prints their URLs, and stops cleanly on SIGTERM", async () => {
    const env = await portEnv();
    const server = start(env);
    const output = await server.ready;

    for (const api of listApis()) {
      const url = `http://127.0.0.1:${env[api.mockPortEnv]}`;
      expect(output).toContain(url);
      // Any spec-defined answer proves the mock serves; an unknown path must be a 404.
      expect((await fetch(`${url}/no-such-path`)).status).toBe(404);
    }
    const docsUrl = `http://127.0.0.1:${env.DOCS_PORT}`;
    expect(output).toContain(docsUrl);
    expect((await fetch(`${docsUrl}/`)).status).toBe(200);

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    for (const port of Object.values(env)) expect(await isListening(Number(port))).toBe(false);
  });

  it("with --stateful, serves mocks that keep what is created", async () => {
    const env = await portEnv();
    const server = start(env, ["--", "--stateful"]);
    expect(await server.ready).toContain("(stateful)");
    const url = `http://127.0.0.1:${env.VOUCHERIFY_MOCK_PORT}`;
    const headers = { "X-App-Id": "app", "X-App-Token": "token", "Content-Type": "application/json" };
    const created = await fetch(`${url}/v1/orders`, {
      method: "POST",
      headers,
      body: JSON.stringify({ source_id: "S-1" }),
    });
    const { id } = await created.json();
    const read = await fetch(`${url}/v1/orders/${id}`, { headers });
    expect(await read.json()).toMatchObject({ id, source_id: "S-1" });
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("also stops cleanly on SIGINT (Ctrl-C)", async () => {
    const server = start(await portEnv());
    await server.ready;
    server.child.kill("SIGINT");
    expect(await server.exited).toBe(0);
  });

  it("refuses to start when a port is taken, naming the port and its variable, and starts nothing", async () => {
    const env = await portEnv();
    const blocker = createServer().listen(Number(env.DOCS_PORT), "127.0.0.1");
    blockers.push(blocker);
    await once(blocker, "listening");

    const server = start(env);

    expect(await server.exited).toBe(1);
    expect(server.output()).toContain(`port ${env.DOCS_PORT}`);
    expect(server.output()).toContain("set DOCS_PORT to a free port");
    for (const api of listApis()) expect(await isListening(Number(env[api.mockPortEnv]))).toBe(false);
  });

  it("rejects a port variable that is not a number, naming the variable", async () => {
    const server = start({ ...(await portEnv()), DOCS_PORT: "eighty" });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain("DOCS_PORT=eighty is not a port number");
  });
});
