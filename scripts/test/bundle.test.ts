/**
 * A bundle is self-contained: a `$ref` to another file that Redocly's bundle does not follow
 * (inside an array in an `x-` extension) is inlined, and one that cannot be is an error
 * naming the ref and where it is, with the previous bundle left as it was.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getApi } from "../../specs/index.ts";
import { bundleApi } from "../lib/spec-tasks.ts";

const fixture = fileURLToPath(new URL("fixtures/extension-refs", import.meta.url));

describe("bundling an API whose extensions refer to other files", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "bundle-refs-"));
    await cp(fixture, dir, { recursive: true });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("inlines every one, so the bundle holds no $ref to a file", async () => {
    const api = getApi("ext", join(dir, "redocly.yaml"));
    await bundleApi(api);
    const text = await readFile(api.bundlePath, "utf8");
    const bundle = JSON.parse(text);
    expect(bundle["x-logo"]).toEqual({ url: "https://example.test/logo.png" });
    expect(bundle.paths["/things"].get["x-badges"]).toEqual([{ name: "Beta", color: "purple" }]);
    expect(text).not.toContain('"$ref"');
  });

  it("fails naming the ref and where it is when its file does not exist, keeping the old bundle", async () => {
    const api = getApi("ext", join(dir, "redocly.yaml"));
    await bundleApi(api);
    const before = await readFile(api.bundlePath, "utf8");
    const paths = join(dir, "specs/ext/paths/things.yaml");
    await writeFile(paths, (await readFile(paths, "utf8")).replace("../badge.yaml", "../missing.yaml"));
    await expect(bundleApi(api)).rejects.toThrow(
      "specs/ext/openapi.yaml: the bundle's /paths/~1things/get/x-badges/0 holds $ref ../missing.yaml",
    );
    expect(await readFile(api.bundlePath, "utf8")).toBe(before);
  });
});
