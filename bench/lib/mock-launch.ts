/**
 * Starts an API's mock in its own process, ours or the reference `prism mock` CLI, on the
 * same bundled spec and a free loopback port, and waits for its first answer to the sample request.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { type ApiDefinition, repoRoot } from "@commerce-api/specs";
import { freePort, type ServerProcess, startServer } from "./process.ts";
import type { SampleRequest } from "./requests.ts";

export type MockKind = "ours" | "prism-cli" | "stateful";

export const mockLabels: Record<MockKind, string> = {
  ours: "ours (startMock)",
  "prism-cli": "prism mock CLI",
  stateful: "ours, stateful (startMock stateful)",
};

// The CLI's script, run with this Node rather than through node_modules/.bin's shell shim,
// so both servers start the same way and the shim's `node` on PATH cannot be another version.
const prismCli = createRequire(join(repoRoot, "packages/mocks/package.json")).resolve(
  "@stoplight/prism-cli/dist/index.js",
);
const ourServer = join(import.meta.dirname, "mock-server.ts");

const STARTUP_TIMEOUT_MS = 30_000;

export interface LaunchedMock extends ServerProcess {
  /** The sample request's full URL on this server. */
  url: string;
}

export async function launchMock(kind: MockKind, api: ApiDefinition, sample: SampleRequest): Promise<LaunchedMock> {
  const port = await freePort();
  const args =
    kind === "prism-cli"
      ? // -m false: answer with the spec's examples, as ours does by default.
        [prismCli, "mock", "-h", "127.0.0.1", "-p", String(port), "-m", "false", api.bundlePath]
      : [ourServer, api.name, String(port), ...(kind === "stateful" ? ["stateful"] : [])];
  const url = `http://127.0.0.1:${port}${sample.url}`;
  const server = await startServer(
    process.execPath,
    args,
    { url, headers: sample.headers },
    { cwd: repoRoot, timeoutMs: STARTUP_TIMEOUT_MS },
  );
  return { ...server, url };
}
