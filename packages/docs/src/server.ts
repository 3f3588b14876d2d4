/**
 * Serves the built docs site (dist/site) over HTTP; `pnpm start` runs it next to the mocks.
 */
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import sirv from "sirv";

/** Where `pnpm docs` (this package's build) writes the site. */
export const siteDir = fileURLToPath(new URL("../dist/site", import.meta.url));

export interface ServeDocsOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** The directory to serve; the built site unless a test points elsewhere. */
  dir?: string;
}

export interface DocsServer {
  url: string;
  close(): Promise<void>;
}

export async function serveDocs({ port, host = "127.0.0.1", dir = siteDir }: ServeDocsOptions): Promise<DocsServer> {
  if (!existsSync(join(dir, "index.html"))) {
    throw new Error(`No docs site in ${dir}: build it first with \`pnpm docs\``);
  }
  // dev: re-read the directory on every request, so a rebuild shows up without a restart
  // (the build swaps in a whole new directory) and nothing is served from a stale cache.
  const files = sirv(dir, { dev: true, etag: true });
  const server = createServer((request, response) =>
    files(request, response, () => {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      response.end("Not found\n");
    }),
  );
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once("error", rejectListen);
    server.listen({ port, host }, () => {
      server.off("error", rejectListen);
      resolveListen();
    });
  });
  const { port: boundPort } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${boundPort}/`,
    close: () =>
      new Promise<void>((resolveClose, rejectClose) => {
        server.close((error) => (error ? rejectClose(error) : resolveClose()));
        // Browsers keep idle connections open; without this, close() would wait for them.
        server.closeAllConnections();
      }),
  };
}
