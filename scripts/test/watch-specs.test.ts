/**
 * The spec watcher behind `pnpm start`'s live reload: a burst of saves to one API is one
 * run, saves during a run make exactly one more run, and the bundles it writes (dist/) are
 * not saves. Each test waits for the calls it expects, never for a fixed time.
 */
import { writeFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ApiDefinition } from "../../specs/index.ts";
import { watchSpecs } from "../lib/watch-specs.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A spec folder in a temp dir, and the API entry that points at it. */
async function specFolder(): Promise<{ dir: string; api: ApiDefinition }> {
  const dir = await mkdtemp(join(tmpdir(), "watch-specs-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, "paths"));
  await mkdir(join(dir, "dist"));
  const api = { name: "pets", id: "pets@v1", specPath: join(dir, "openapi.yaml") } as ApiDefinition;
  return { dir, api };
}

/** Records onSave calls; `next()` resolves at the next one, `release()` lets a held run finish. */
function recorder({ hold = false } = {}) {
  const calls: string[][] = [];
  let notify: (() => void) | undefined;
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    calls,
    release: () => release(),
    next: () =>
      new Promise<void>((resolve) => {
        notify = resolve;
      }),
    onSave: async (_api: ApiDefinition, files: string[]) => {
      calls.push(files);
      notify?.();
      if (hold && calls.length === 1) await held;
    },
  };
}

describe("watchSpecs", () => {
  it("runs once for a burst of saves, naming every file saved", async () => {
    const { dir, api } = await specFolder();
    const saves = recorder();
    const watcher = watchSpecs({ apis: [api], onSave: saves.onSave });
    cleanups.push(() => watcher.close());

    const called = saves.next();
    // Synchronous writes: no turn of the event loop between them, however slow the machine.
    for (let index = 0; index < 5; index++) writeFileSync(join(dir, "paths/pets.yaml"), `# save ${index}\n`);
    writeFileSync(join(dir, "openapi.yaml"), "# save\n");
    await called;

    expect(saves.calls).toEqual([["openapi.yaml", join("paths", "pets.yaml")]]);
  });

  it("runs exactly once more for saves made while a run is in progress, and ignores dist/", async () => {
    const { dir, api } = await specFolder();
    const saves = recorder({ hold: true });
    const watcher = watchSpecs({ apis: [api], onSave: saves.onSave });
    cleanups.push(() => watcher.close());

    const first = saves.next();
    await writeFile(join(dir, "openapi.yaml"), "# first\n");
    await first;
    // While the first run is held: a bundle written (ignored) and two saves.
    await writeFile(join(dir, "dist/pets.json"), "{}");
    await writeFile(join(dir, "paths/pets.yaml"), "# during 1\n");
    await writeFile(join(dir, "paths/pets.yaml"), "# during 2\n");
    const second = saves.next();
    saves.release();
    await second;

    expect(saves.calls).toEqual([["openapi.yaml"], [join("paths", "pets.yaml")]]);
  });
});
