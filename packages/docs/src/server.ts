/**
 * Serves the built docs site (dist/site) over HTTP; `pnpm start` runs it next to the mocks.
 * In live mode every HTML page also listens for server-sent events and reloads itself when
 * `reload()` names it, so a spec edit shows up in the open tabs without a click.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import sirv from "sirv";

/** Where `pnpm docs` (this package's `site` task) writes the site. */
export const siteDir = fileURLToPath(new URL("../dist/site", import.meta.url));

/** The event stream the live pages listen on. */
export const LIVE_RELOAD_PATH = "/__live-reload";

export interface ServeDocsOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** The directory to serve; the built site unless a test points elsewhere. */
  dir?: string;
  /** Pages reload themselves when `reload()` names them (for `pnpm start`). */
  live?: boolean;
}

export interface DocsServer {
  url: string;
  /** Live mode: the open tabs showing any of these files (e.g. `voucherify.html`) reload. */
  reload(pages: string[]): void;
  close(): Promise<void>;
}

// Reloads the page when an event names its file. Plain script, no network beyond this server.
const LIVE_SCRIPT = `<script>new EventSource(${JSON.stringify(LIVE_RELOAD_PATH)}).onmessage = (event) => {
  const page = decodeURIComponent(location.pathname.split("/").pop() || "index.html");
  if (JSON.parse(event.data).includes(page)) location.reload();
};</script>`;

/**
 * The pages' Content-Security-Policy forbids scripts (the index) and any connection (the
 * reference pages); the live script needs an inline script and a connection to this server.
 * Only these two directives are widened, only in live mode.
 */
export function allowLiveReload(html: string): string {
  const withPolicy = html.replace(
    /(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")/i,
    (_match, before: string, policy: string, after: string) => {
      const directives = new Map(
        policy
          .split(";")
          .map((directive) => directive.trim().split(/\s+/))
          .filter(([name]) => name)
          .map(([name, ...values]) => [name as string, values]),
      );
      const widen = (name: string, source: string) => {
        const values = (directives.get(name) ?? []).filter((value) => value !== "'none'");
        directives.set(name, values.includes(source) ? values : [...values, source]);
      };
      widen("script-src", "'unsafe-inline'");
      widen("connect-src", "'self'");
      const rebuilt = [...directives].map(([name, values]) => [name, ...values].join(" ")).join("; ");
      return `${before}${rebuilt}${after}`;
    },
  );
  return withPolicy.includes("</body>")
    ? withPolicy.replace(/<\/body>(?![\s\S]*<\/body>)/, `${LIVE_SCRIPT}\n</body>`)
    : `${withPolicy}${LIVE_SCRIPT}`;
}

export async function serveDocs({
  port,
  host = "127.0.0.1",
  dir = siteDir,
  live = false,
}: ServeDocsOptions): Promise<DocsServer> {
  if (!existsSync(join(dir, "index.html"))) {
    throw new Error(`No docs site in ${dir}: build it first with \`pnpm docs\``);
  }
  // dev: re-read the directory on every request, so a rebuild shows up without a restart
  // (the build swaps in a whole new directory) and nothing is served from a stale cache.
  const files = sirv(dir, { dev: true, etag: true });
  const listeners = new Set<ServerResponse>();
  const notFound = (response: ServerResponse) => {
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    response.end("Not found\n");
  };

  /** The HTML file a live request names, or undefined (sirv answers everything else). */
  const livePage = (url: string | undefined): string | undefined => {
    const pathname = decodeURIComponent(new URL(url ?? "/", "http://localhost").pathname);
    const file = pathname.endsWith("/") ? `${pathname}index.html` : pathname;
    if (!file.endsWith(".html")) return undefined;
    const path = normalize(join(dir, file));
    return path.startsWith(`${normalize(dir)}${sep}`) ? path : undefined;
  };

  const server = createServer((request, response) => {
    if (live && request.url === LIVE_RELOAD_PATH) {
      response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
      response.write(": live reload\n\n");
      listeners.add(response);
      request.once("close", () => listeners.delete(response));
      return;
    }
    const page = live ? livePage(request.url) : undefined;
    if (!page) {
      files(request, response, () => notFound(response));
      return;
    }
    readFile(page, "utf8").then(
      (html) => {
        response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
        response.end(allowLiveReload(html));
      },
      () => notFound(response),
    );
  });
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
    reload(pages) {
      for (const listener of listeners) listener.write(`data: ${JSON.stringify(pages)}\n\n`);
    },
    close: () =>
      new Promise<void>((resolveClose, rejectClose) => {
        for (const listener of listeners) listener.end();
        server.close((error) => (error ? rejectClose(error) : resolveClose()));
        // Browsers keep idle connections open; without this, close() would wait for them.
        server.closeAllConnections();
      }),
  };
}
