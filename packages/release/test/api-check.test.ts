import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultConfigPath, getApi } from "@commerce-api/specs";
import { afterEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { renderTypesOf } from "../../../scripts/lib/codegen.ts";
import { exec } from "../src/testing/scratch-workspace.ts";

// biome-ignore lint/suspicious/noExplicitAny: the tests edit the spec as free-form JSON, deep paths and all.
type Json = { [key: string]: any };
const api = getApi("voucherify");
const released: Json = JSON.parse(await readFile(join(api.specPath, "..", "released", "openapi.json"), "utf8"));
const apiCheck = join(import.meta.dirname, "..", "src", "api-check.ts");
const scratchDirs: string[] = [];

afterEach(async () => {
  await Promise.all(scratchDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/**
 * A scratch repository holding the released Voucherify baseline, a current bundle with
 * `edit` applied (and its generated types), and the given pending changeset; then
 * `pnpm api:check` run on it.
 */
async function apiCheckAfter(edit: (spec: Json) => void, changeset?: "major" | "minor" | "patch") {
  const dir = await mkdtemp(join(tmpdir(), "api-check-"));
  scratchDirs.push(dir);
  const config = parse(await readFile(defaultConfigPath, "utf8"));
  config.apis = { [api.id]: { ...config.apis[api.id], "x-openapi-ts": { output: "generated/voucherify.ts" } } };
  await writeFile(join(dir, "redocly.yaml"), stringify(config));
  await cp(join(api.specPath, "..", "released"), join(dir, "specs/voucherify/released"), { recursive: true });
  const current = structuredClone(released);
  edit(current);
  await mkdir(join(dir, "specs/voucherify/dist"), { recursive: true });
  await mkdir(join(dir, "generated"));
  await mkdir(join(dir, ".changeset"));
  await writeFile(join(dir, "specs/voucherify/dist/voucherify.json"), JSON.stringify(current));
  await writeFile(join(dir, "generated/voucherify.ts"), await renderTypesOf(current as never, "edited spec"));
  if (changeset) {
    await writeFile(
      join(dir, ".changeset/edit.md"),
      `---\n"${api.packageName}": ${changeset}\n---\n\nThe edit under test.\n`,
    );
  }
  return exec(process.execPath, [apiCheck, "--config", join(dir, "redocly.yaml")], dir);
}

const ordersList = (spec: Json) => spec.paths["/v1/orders"].get;

describe("pnpm api:check", () => {
  it("passes an unchanged spec without a changeset", async () => {
    const { code, output } = await apiCheckAfter(() => {});
    expect(output).toContain("Against @commerce-api/voucherify@");
    expect(output).toContain("no changes");
    expect(code, output).toBe(0);
  });

  it("fails a breaking edit covered only by a minor changeset, and names the change", async () => {
    const { code, output } = await apiCheckAfter((spec) => {
      ordersList(spec).parameters.push({
        name: "region",
        in: "query",
        required: true,
        description: "Region.",
        schema: { type: "string" },
      });
    }, "minor");
    expect(output).toContain('| breaking | `GET /v1/orders` | query parameter "region" | required added |');
    expect(output).toContain("requests that leave it out are rejected");
    expect(output).toContain("only a minor bump");
    expect(output).toContain("api:check failed for voucherify");
    expect(code).toBe(1);
  });

  it("passes the same breaking edit under a major changeset", async () => {
    const { code, output } = await apiCheckAfter((spec) => {
      delete spec.paths["/v1/orders/export"];
    }, "major");
    expect(output).toContain("| breaking | `POST /v1/orders/export` | operation | removed |");
    expect(output).toContain("`POST /v1/orders/export`: Argument of type");
    expect(code, output).toBe(0);
  });

  it("passes a non-breaking edit (a new optional parameter, a new operation) with a minor changeset", async () => {
    const { code, output } = await apiCheckAfter((spec) => {
      ordersList(spec).parameters.push({
        name: "status",
        in: "query",
        description: "Only orders with this status.",
        schema: { type: "string" },
      });
      spec.paths["/v1/orders/count"] = { get: { ...ordersList(spec), operationId: "countOrders" } };
    }, "minor");
    expect(output).toContain('| non-breaking | `GET /v1/orders` | query parameter "status" | added |');
    expect(output).toContain("| non-breaking | `GET /v1/orders/count` | operation | added |");
    expect(output).not.toContain("| breaking |");
    expect(code, output).toBe(0);
  });

  it("fails a spec change with no changeset, giving the command that adds one", async () => {
    const { code, output } = await apiCheckAfter((spec) => {
      spec.info.description = "Reworded.";
    });
    expect(output).toContain("0 breaking, 0 non-breaking, 1 docs-only");
    expect(output).toContain('pnpm changeset --patch @commerce-api/voucherify -m "');
    expect(code).toBe(1);
  });
});
