/**
 * The Changes page, read as generated HTML (no browser), built from scratch copies of the
 * fixture spec against a released baseline: it lists what changed (breaking changes first,
 * with why) or says nothing did, and it renders the client's CHANGELOG. Each real API's
 * Changes page is checked with its other pages (reference-page.test.ts).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Baseline, diffSpecs } from "@commerce-api/release";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changesFileName } from "../src/index-page.ts";
import { listOperations, type OpenApiDocument } from "../src/openapi.ts";
import { bundleSpec } from "../src/redocly.ts";
import { buildSite, type DocsApi } from "../src/site.ts";

const inventoryFixture = fileURLToPath(new URL("fixtures/inventory/openapi.yaml", import.meta.url));
const api = {
  title: "Inventory",
  packageName: "@commerce-api/inventory",
  factoryName: "createInventoryClient",
  credentialOptions: {},
  mockPort: 4012,
};

/** Text as the reader sees it: tags dropped, entities decoded, spaces collapsed. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]*>/g, " ")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&")
    .replace(/\s+/g, " ")
    .trim();

/** The rows of the page's table for one kind of change, each as its cells' text. */
function tableRows(page: string, kind: string): string[][] {
  const section = new RegExp(`<div class="${kind}">([\\s\\S]*?)</div>`).exec(page)?.[1];
  if (section === undefined) return [];
  return [...section.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .map((row) => [...(row[1] ?? "").matchAll(/<td>([\s\S]*?)<\/td>/g)].map((cell) => textOf(cell[1] ?? "")))
    .filter((cells) => cells.length > 0);
}

/** A path no spec has, whose name would be markup if the page did not escape it. */
const ADDED_PATH = "/v1/<script>alert(1)</script>";

const CHANGELOG = `# ${api.packageName}

## 2.0.0

### Major Changes

- abc1234: Orders no longer take the <script>alert("changelog")</script> field.

## 1.0.0

### Major Changes

- def5678: First stable release.
`;

describe("the Changes page built from scratch specs", () => {
  let workDir: string;
  let outDir: string;
  let released: Baseline;
  let edited: OpenApiDocument;
  let removedPath: string;
  let addedMethod: string;
  const pages = new Map<string, string>();

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), "docs-changes-"));
    outDir = join(workDir, "site");
    const bundlePath = join(workDir, "inventory.json");
    await bundleSpec(inventoryFixture, bundlePath);
    const bundle = JSON.parse(await readFile(bundlePath, "utf8")) as OpenApiDocument;
    // The current bundle, as if released at a version no real release has.
    released = { version: "7.3.1", spec: structuredClone(bundle) as unknown as Baseline["spec"] };

    // The edit: the first operation removed (breaking), and a new operation added (not).
    edited = structuredClone(bundle);
    const [removed, added] = listOperations(bundle);
    if (!removed || !added) throw new Error(`${inventoryFixture} has fewer than two operations to edit`);
    const paths = edited.paths ?? {};
    delete paths[removed.path]?.[removed.method];
    removedPath = removed.path;
    addedMethod = added.method;
    paths[ADDED_PATH] = { [added.method]: { ...added.operation, operationId: "addedByTheTest" } };

    const unchangedPath = join(workDir, "unchanged.json");
    const editedPath = join(workDir, "edited.json");
    const changelogPath = join(workDir, "CHANGELOG.md");
    await writeFile(unchangedPath, JSON.stringify(bundle));
    await writeFile(editedPath, JSON.stringify(edited));
    await writeFile(changelogPath, CHANGELOG);

    const common = {
      title: api.title,
      packageName: api.packageName,
      factoryName: api.factoryName,
      credentialOptions: api.credentialOptions,
      mockPort: api.mockPort,
    };
    const apis: DocsApi[] = [
      { ...common, name: "edited", mockPortEnv: "EDITED", specPath: editedPath, baseline: released, changelogPath },
      { ...common, name: "unchanged", mockPortEnv: "UNCHANGED", specPath: unchangedPath, baseline: released },
      { ...common, name: "unreleased", mockPortEnv: "UNRELEASED", specPath: unchangedPath },
    ];
    await buildSite({ apis, outDir });
    for (const { name } of apis) pages.set(name, await readFile(join(outDir, changesFileName({ name })), "utf8"));
  });
  afterAll(() => rm(workDir, { recursive: true, force: true }));

  const page = (name: string) => pages.get(name) ?? "";

  it("lists a breaking change with why it breaks callers, ahead of the compatible ones", () => {
    const changes = diffSpecs(released.spec, edited as unknown as Baseline["spec"]);
    const removal = changes.find((change) => change.kind === "breaking" && change.what === "removed");
    if (!removal?.why) throw new Error(`the diff names no breaking removal: ${JSON.stringify(changes)}`);

    expect(page("edited")).toContain("<h2>Since 7.3.1</h2>");
    expect(tableRows(page("edited"), "breaking")).toContainEqual([
      expect.stringContaining(removedPath),
      removal.where,
      "removed",
      removal.why,
    ]);
    expect(tableRows(page("edited"), "non-breaking")).toContainEqual([
      `${addedMethod.toUpperCase()} ${ADDED_PATH}`,
      "operation",
      "added",
    ]);
    expect(page("edited").indexOf('<div class="breaking">')).toBeLessThan(
      page("edited").indexOf('<div class="non-breaking">'),
    );
  });

  it("shows text from the spec as text, never as markup", () => {
    expect(page("edited")).toContain("<code>/v1/&lt;script&gt;alert(1)&lt;/script&gt;</code>");
    expect(page("edited")).not.toContain("<script");
  });

  it('says "No changes since" the released version when the spec is the released one', () => {
    expect(textOf(page("unchanged"))).toContain("No changes since 7.3.1");
    expect(page("unchanged")).not.toContain("<table");
  });

  it('says "Not released yet" for an API without a released baseline', () => {
    expect(textOf(page("unreleased"))).toContain("Not released yet");
    expect(page("unreleased")).not.toContain("<h2>Since");
  });

  it("renders the CHANGELOG's version headings in order under Released versions, its HTML as text", () => {
    const released = page("edited").slice(page("edited").indexOf("<h2>Released versions</h2>"));
    expect([...released.matchAll(/<h3>([^<]*)<\/h3>/g)].map((match) => match[1])).toEqual(["2.0.0", "1.0.0"]);
    expect(released).toContain("<h4>Major Changes</h4>");
    expect(textOf(released)).toContain('Orders no longer take the <script>alert("changelog")</script> field.');
    expect(released).not.toContain("<script");
    expect(textOf(page("unchanged"))).toContain("Released versions No released versions yet.");
  });
});
