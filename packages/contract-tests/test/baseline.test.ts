/**
 * The contract baseline of a vendor spec: a baselined case that still fails is reported, not
 * failed; one that passes fails the run (the baseline only shrinks); any other failure fails as
 * usual. Its recorder runs the suite on an API and writes what fails, the same bytes every time.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type ApiDefinition, getApi } from "@commerce-api/specs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type BaselinedMeta, readBaseline, renderBaseline, underBaseline } from "../src/baseline.ts";

const run = promisify(execFile);
const fixture = fileURLToPath(new URL("fixtures/pipeline", import.meta.url));
const recorder = fileURLToPath(new URL("../src/record-baseline.ts", import.meta.url));
const api = getApi("shop", join(fixture, "redocly.yaml"));
const context = () => ({ task: { meta: {} as { baselined?: BaselinedMeta } } });
const failing = () => {
  throw new Error("the body must match the response schema");
};

describe("a case under the baseline", () => {
  const baseline = new Map([["examples: getItem returns 200", "the body must match the response schema"]]);

  test("still failing as recorded, is reported and does not fail", async () => {
    const ran = context();
    await underBaseline(api, baseline, "examples: getItem returns 200", failing)(ran);
    expect(ran.task.meta.baselined).toEqual({
      api: "shop",
      case: "examples: getItem returns 200",
      reason: "the body must match the response schema",
    });
  });

  test("passing now, fails asking for its entry to be removed", async () => {
    await expect(underBaseline(api, baseline, "examples: getItem returns 200", () => {})(context())).rejects.toThrow(
      `examples: getItem returns 200 passes now: remove it from ${join(fixture, "specs/shop/contract-baseline.yaml")}; the baseline only shrinks`,
    );
  });

  test("held to its recorded reason (the client types' compile), fails on a new finding beside the old", async () => {
    const recorded = new Map([
      ["client types: shop", "Error: shop.mts(3,1): error TS2353: 'a' | shop.mts(9,1): error TS2353: 'b'"],
    ]);
    const compile = (errors: string[]) => () => {
      throw new Error(errors.join(" | "));
    };
    const same = context();
    const old = ["shop.mts(3,1): error TS2353: 'a'", "shop.mts(9,1): error TS2353: 'b'"];
    await underBaseline(api, recorded, "client types: shop", compile(old), { exact: true })(same);
    expect(same.task.meta.baselined?.case).toBe("client types: shop");
    await expect(
      underBaseline(api, recorded, "client types: shop", compile([...old, "shop.mts(12,1): error TS2322: 'c'"]), {
        exact: true,
      })(context()),
    ).rejects.toThrow(
      /client types: shop fails differently than recorded in .*contract-baseline\.yaml:\n {2}now: .*TS2322/,
    );
  });

  test("not in the baseline, fails as usual", async () => {
    await expect(underBaseline(api, baseline, "examples: createItem returns 201", failing)(context())).rejects.toThrow(
      "the body must match the response schema",
    );
  });
});

describe("the baseline file", () => {
  test("is written sorted by case, so the same entries are the same bytes in any order", () => {
    const a = { case: "negative cases: b", reason: "x" };
    const b = { case: "examples: a", reason: "y: 'quoted'" };
    expect(renderBaseline([a, b])).toBe(renderBaseline([b, a]));
    expect(renderBaseline([a, b]).indexOf("examples: a")).toBeLessThan(renderBaseline([a, b]).indexOf("negative"));
  });

  test("that is not a list of cases and reasons is refused, naming the file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "baseline-"));
    try {
      await cp(fixture, dir, { recursive: true });
      const scratch = getApi("shop", join(dir, "redocly.yaml"));
      await writeFile(join(dir, "specs/shop/contract-baseline.yaml"), "- case: 1\n");
      expect(() => readBaseline(scratch)).toThrow(
        `${join(dir, "specs/shop/contract-baseline.yaml")}: expected a list of { case, reason } entries, both strings`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// Each recording is a run of the suite on the fixture API, against its mock.
describe("the recorder", { timeout: 240_000 }, () => {
  let dir = "";
  let scratch: ApiDefinition;
  const record = () =>
    run(process.execPath, [recorder, "--config", join(dir, "redocly.yaml"), "shop"], { cwd: dir, timeout: 240_000 });
  const bundle = () => join(dir, "specs/shop/dist/shop.json");
  const baselineFile = () => join(dir, "specs/shop/contract-baseline.yaml");

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "baseline-recorder-"));
    await cp(fixture, dir, { recursive: true });
    scratch = getApi("shop", join(dir, "redocly.yaml"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test("records a response example that breaks its schema, byte-identical on rerun", async () => {
    const document = JSON.parse(await readFile(bundle(), "utf8"));
    // The vendor's mistake: an id that is not the integer its schema says.
    document.paths["/items/{id}"].get.responses["200"].content["application/json"].example.id = "seven";
    await writeFile(bundle(), JSON.stringify(document));

    const { stdout } = await record();
    const id = 'examples: getItem returns 200 as application/json with example "default"';
    expect(stdout).toContain(`baselined: ${id} — `);
    const recorded = readBaseline(scratch);
    expect([...recorded.keys()]).toEqual([id]);
    expect(recorded.get(id)).toContain("/id must be integer");
    const first = await readFile(baselineFile(), "utf8");

    await record();
    expect(await readFile(baselineFile(), "utf8")).toBe(first);
  });

  test("records nothing and fails when the suite breaks outside its cases", async () => {
    const document = JSON.parse(await readFile(bundle(), "utf8"));
    // Only a scheme no client can send: every case's describe fails creating the client.
    document.components.securitySchemes = { tls: { type: "mutualTLS" } };
    document.security = [{ tls: [] }];
    await writeFile(bundle(), JSON.stringify(document));
    const before = await readFile(baselineFile(), "utf8").catch(() => undefined);

    const failed = await record().then(
      () => "",
      (error: { stderr: string }) => error.stderr,
    );
    expect(failed).toMatch(
      /the contract suite for shop did not run its cases:\n(test\/\w+\.test\.ts: .*every security alternative needs a scheme a client cannot send\n)+/,
    );
    expect(await readFile(baselineFile(), "utf8").catch(() => undefined)).toBe(before);
  });

  test("writes nothing, and removes the file, when nothing fails", async () => {
    await cp(join(fixture, "specs/shop/dist/shop.json"), bundle());
    const { stdout } = await record();
    expect(stdout).toContain("finds nothing wrong");
    await expect(readFile(baselineFile(), "utf8")).rejects.toThrow("ENOENT");
  });
});
