/** serveDocs: the static server `pnpm start` runs for the site. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveDocs } from "../src/server.ts";

describe("serveDocs", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "docs-serve-"));
    await writeFile(join(dir, "index.html"), "<!DOCTYPE html><title>site</title>");
    await writeFile(join(dir, "api.json"), "{}");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("serves the directory on 127.0.0.1 by default, index.html at /, 404 for anything else", async () => {
    const server = await serveDocs({ port: 0, dir });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const index = await fetch(server.url);
      expect(index.status).toBe(200);
      expect(index.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await index.text()).toContain("<title>site</title>");
      expect((await fetch(`${server.url}api.json`)).headers.get("content-type")).toMatch(/^application\/json/);
      expect((await fetch(`${server.url}missing.html`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("close() stops listening, even with a keep-alive connection open", async () => {
    const server = await serveDocs({ port: 0, dir });
    await fetch(server.url, { keepalive: true });
    await server.close();
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it("refuses to start without a built site, saying how to build it", async () => {
    const empty = await mkdtemp(join(tmpdir(), "docs-empty-"));
    try {
      await expect(serveDocs({ port: 0, dir: empty })).rejects.toThrow(
        `No docs site in ${empty}: build it first with \`pnpm docs\``,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it("reports a port that is taken", async () => {
    const first = await serveDocs({ port: 0, dir });
    try {
      const port = Number(new URL(first.url).port);
      await expect(serveDocs({ port, dir })).rejects.toMatchObject({ code: "EADDRINUSE" });
    } finally {
      await first.close();
    }
  });
});
