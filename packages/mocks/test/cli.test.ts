import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { listApis } from "@commerce-api/specs";
import { afterEach, describe, expect, it } from "vitest";

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));

const children: ChildProcess[] = [];
// A failed test may leave its CLI running; it must not outlive the test.
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/** Runs the CLI with every mock port variable set to 0 (any free port) unless `env` says otherwise. */
function runCli(args: string[], env: Record<string, string> = {}) {
  const anyPort = Object.fromEntries(listApis().map((api) => [api.mockPortEnv, "0"]));
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, ...anyPort, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (chunk) => {
    output.stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output.stderr += chunk;
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return { child, output, exited };
}

/** Waits until stdout matches, failing early with the output if the CLI exits first. */
async function waitForOutput(run: ReturnType<typeof runCli>, pattern: RegExp): Promise<RegExpMatchArray> {
  for (;;) {
    const match = run.output.stdout.match(pattern);
    if (match) return match;
    if (run.child.exitCode !== null)
      throw new Error(`CLI exited ${run.child.exitCode}:\n${JSON.stringify(run.output)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("commerce-api-mock start", () => {
  it("serves every API, prints each URL, logs each request and exits 0 on SIGTERM", async () => {
    const run = runCli([]);
    try {
      for (const api of listApis()) {
        const [, url] = await waitForOutput(run, new RegExp(`${api.title} mock  (http://127\\.0\\.0\\.1:\\d+)`));
        expect((await fetch(`${url}/not/in/the/spec`)).status).toBe(404);
        await waitForOutput(run, new RegExp(`\\[${api.name}\\] GET /not/in/the/spec 404 \\d+ms`));
      }
    } finally {
      run.child.kill("SIGTERM");
    }
    expect(await run.exited).toBe(0);
  });

  it("serves only the APIs named, also after the `--` that pnpm passes through, and exits 0 on SIGINT", async () => {
    const run = runCli(["--", "start", "voucherify"]);
    try {
      await waitForOutput(run, /Press Ctrl-C to stop/);
      expect(run.output.stdout).toMatch(/Voucherify mock {2}http:\/\/127\.0\.0\.1:\d+/);
      expect(run.output.stdout).not.toContain("DirectScale");
    } finally {
      run.child.kill("SIGINT");
    }
    expect(await run.exited).toBe(0);
  });

  it("stops with exit code 1, naming the port and its variable, when a port is taken, leaving nothing running", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const run = runCli([], { VOUCHERIFY_MOCK_PORT: String(port) });
      // Exiting at all shows the DirectScale mock, which could start, was closed again.
      expect(await run.exited).toBe(1);
      expect(run.output.stderr).toContain(`port ${port} is in use (set VOUCHERIFY_MOCK_PORT to another port)`);
    } finally {
      holder.close();
    }
  });

  it("serves one API on the port given with --port, ahead of its variable", async () => {
    const run = runCli(["voucherify", "--port", "0"], { VOUCHERIFY_MOCK_PORT: "1" });
    try {
      const [, url] = await waitForOutput(run, /Voucherify mock {2}(http:\/\/127\.0\.0\.1:\d+)/);
      const response = await fetch(`${url}/v1/orders`, { headers: { "X-App-Id": "id", "X-App-Token": "token" } });
      expect(response.status).toBe(200);
    } finally {
      run.child.kill("SIGTERM");
    }
    expect(await run.exited).toBe(0);
  });

  it("with --stateful, serves a mock that keeps what is created until POST /__sandbox/reset", async () => {
    const run = runCli(["voucherify", "--port", "0", "--stateful"]);
    try {
      const [, url] = await waitForOutput(run, /Voucherify mock {2}(http:\/\/127\.0\.0\.1:\d+)/);
      const headers = { "X-App-Id": "id", "X-App-Token": "token", "Content-Type": "application/json" };
      const body = JSON.stringify({ source_id: "CLI-1" });
      await (await fetch(`${url}/v1/orders`, { method: "POST", headers, body })).text();
      expect((await (await fetch(`${url}/v1/orders`, { headers })).json()).total).toBe(1);
      expect((await fetch(`${url}/__sandbox/reset`, { method: "POST" })).status).toBe(204);
      expect((await (await fetch(`${url}/v1/orders`, { headers })).json()).total).toBe(0);
    } finally {
      run.child.kill("SIGTERM");
    }
    expect(await run.exited).toBe(0);
  });

  it("refuses --port for several APIs, which cannot share one port", async () => {
    const run = runCli(["--port", "4011"]);
    expect(await run.exited).toBe(1);
    expect(run.output.stderr).toContain("--port needs exactly one API name");
  });

  it("lists the APIs it mocks, with their ports and variables, in --help", async () => {
    const run = runCli(["--help"]);
    expect(await run.exited).toBe(0);
    for (const api of listApis()) {
      expect(run.output.stdout).toMatch(new RegExp(`${api.name}\\s+${api.mockPort}\\s+${api.mockPortEnv}`));
    }
  });

  it("stops with exit code 1 and the known names for an unknown API", async () => {
    const run = runCli(["voucherfy"]);
    expect(await run.exited).toBe(1);
    expect(run.output.stderr).toMatch(/Unknown API "voucherfy".*directscale, voucherify/);
  });
});

describe("commerce-api-mock proxy", () => {
  it("forwards to the upstream and reports what breaks the spec", async () => {
    const seen: string[] = [];
    const upstream = createServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      response.setHeader("Content-Type", "application/json");
      response.end("{}");
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const { port } = upstream.address() as AddressInfo;
    const run = runCli(["proxy", "voucherify", `http://127.0.0.1:${port}`, "--port", "0"]);
    try {
      const [, url] = await waitForOutput(run, /Voucherify validation proxy {2}(http:\/\/127\.0\.0\.1:\d+)/);
      await (await fetch(`${url}/not/in/the/spec`)).text();
      expect(seen).toEqual(["GET /not/in/the/spec"]);
      await waitForOutput(
        run,
        /\[voucherify\] GET \/not\/in\/the\/spec 200 \d+ms\n.*warning at request: Selected route/,
      );
    } finally {
      run.child.kill("SIGTERM");
      upstream.close();
    }
    expect(await run.exited).toBe(0);
  });
});
