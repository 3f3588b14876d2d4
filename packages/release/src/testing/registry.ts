/**
 * A real npm registry for the release tests and `pnpm bench`: Verdaccio on a free loopback
 * port, with its storage in a temporary folder, no uplinks (nothing is fetched from or sent
 * to another registry) and one user whose token they publish and install with.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runServer } from "verdaccio";

export interface LocalRegistry extends AsyncDisposable {
  url: string;
  /** A user npmrc that points `@commerce-api/*` at this registry with the test user's token. */
  npmrcPath: string;
}

export async function startLocalRegistry(): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), "commerce-api-registry-"));
  const app = await runServer({
    self_path: dir,
    storage: join(dir, "storage"),
    auth: { htpasswd: { file: join(dir, "htpasswd"), max_users: 1 } },
    uplinks: {},
    packages: { "**": { access: "$authenticated", publish: "$authenticated" } },
    log: { type: "stdout", format: "pretty", level: "fatal" },
    web: { enable: false },
  } as never);
  const server: Server = await new Promise((resolve) => {
    const listening: Server = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("verdaccio did not bind a port");
  const url = `http://127.0.0.1:${address.port}/`;

  const response = await fetch(`${url}-/user/org.couchdb.user:release-test`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "release-test", password: "release-test-password" }),
  });
  const { token } = (await response.json()) as { token?: string };
  if (!token) throw new Error(`verdaccio did not create the test user (HTTP ${response.status})`);
  const npmrcPath = join(dir, "npmrc");
  await writeFile(npmrcPath, `@commerce-api:registry=${url}\n//127.0.0.1:${address.port}/:_authToken=${token}\n`);

  return {
    url,
    npmrcPath,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
