/**
 * What this package's README quotes of its command's output is what the command prints: the
 * banner at the top of the README's first `text` block, and the message for a taken port.
 * The command is the package's bin (whatever package.json names it), run on free ports and
 * compared as if on the README's default ports.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { listApis } from "@commerce-api/specs";
import { afterEach, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(`${packageDir}README.md`, "utf8");
const { bin } = JSON.parse(readFileSync(`${packageDir}package.json`, "utf8")) as { bin: Record<string, string> };
const [binPath] = Object.values(bin);

const children: ChildProcess[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A listening server on a free port, closed after the test. */
async function listener(): Promise<{ port: number }> {
  const server = createServer().listen(0, "127.0.0.1");
  servers.push(server);
  await once(server, "listening");
  return server.address() as { port: number };
}

/** Runs the bin with these variables; resolves with its output once `until` appears or it exits. */
function runBin(env: Record<string, string>, until: string) {
  if (!binPath) throw new Error("package.json names no bin");
  const child = spawn(process.execPath, [fileURLToPath(new URL(binPath, `file://${packageDir}`))], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  return new Promise<{ output: string; code: number | null }>((resolve) => {
    const collect = (chunk: Buffer) => {
      output += chunk;
      if (output.includes(until)) resolve({ output, code: null });
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("exit", (code) => resolve({ output, code }));
  });
}

// Each test starts the command, which loads Prism: on a loaded 2-core machine that alone took
// over a minute (a wait, not a timing).
describe("the README's quoted output", { timeout: 180_000 }, () => {
  it("the banner is what the command prints first", async () => {
    const block = /^```text\n([\s\S]*?)^```/m.exec(readme)?.[1] ?? "";
    const banner = block.split("\n").filter((line) => line !== "" && !line.startsWith("["));
    expect(banner.length, "the README's first text block starts with the banner").toBeGreaterThan(0);
    // Ports known in advance: free a moment ago, so the output can be put back on the defaults.
    const ports = await Promise.all(listApis().map(async (api) => ({ api, port: (await listener()).port })));
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));

    const { output } = await runBin(
      Object.fromEntries(ports.map(({ api, port }) => [api.mockPortEnv, String(port)])),
      banner.at(-1) ?? "",
    );

    const onDefaults = ports.reduce(
      (text, { api, port }) => text.replaceAll(new RegExp(`:${port}\\b`, "g"), `:${api.mockPort}`),
      output,
    );
    expect(onDefaults.split("\n").slice(0, banner.length)).toEqual(banner);
  });

  it("a taken port gets the message the README quotes", async () => {
    const quoted = /`(port (\d+) is in use \(set (\w+) [^`]*)`/.exec(readme);
    if (!quoted) throw new Error("the README quotes no `port N is in use (set VAR ...)` message");
    const [, message = "", readmePort = "", envVar = ""] = quoted;
    const { port } = await listener();
    const others = Object.fromEntries(listApis().map((api) => [api.mockPortEnv, "0"]));

    const { output, code } = await runBin({ ...others, [envVar]: String(port) }, "\u0000");

    expect(code).toBe(1);
    expect(output).toContain(message.replace(readmePort, String(port)));
  });
});
