/**
 * Proves the published packages work for a consumer outside this workspace: packs
 * @commerce-api/runtime, /directscale and /voucherify with `pnpm pack`, installs the three
 * tarballs together into a fresh project with `npm install`, compiles a small strict
 * TypeScript file that uses both clients (`skipLibCheck: false`, no @types/node), runs it
 * against a fake fetch, and runs `attw` (are the types wrong?) on each tarball.
 *
 *   node scripts/check-packages.ts           # packs the dist/ already built
 *   node scripts/check-packages.ts --build   # builds the three packages first
 *
 * Exits 1 with a message saying which step failed and why.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../specs/index.ts";

const PACKAGES = ["runtime", "directscale", "voucherify"] as const;
const { values } = parseArgs({
  options: { build: { type: "boolean", default: false }, keep: { type: "boolean", default: false } },
});

class CheckFailed extends Error {}

async function run(step: string, command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error)
        reject(new CheckFailed(`${step} failed (${command} ${args.join(" ")} in ${cwd}):\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

const packageDir = (name: string) => join(repoRoot, "packages", name);

async function pack(name: string, destination: string): Promise<string> {
  const dir = packageDir(name);
  if (values.build) await run(`building @commerce-api/${name}`, "pnpm", ["run", "build"], dir);
  for (const file of ["dist/index.js", "dist/index.d.ts"]) {
    if (!existsSync(join(dir, file))) {
      throw new CheckFailed(
        `packages/${name}/${file} is missing: build first (\`pnpm turbo run build --filter=@commerce-api/${name}\`) or pass --build`,
      );
    }
  }
  const before = new Set(await readdir(destination));
  await run(`packing @commerce-api/${name}`, "pnpm", ["pack", "--pack-destination", destination], dir);
  const tarball = (await readdir(destination)).find((file) => file.endsWith(".tgz") && !before.has(file));
  if (!tarball) throw new CheckFailed(`pnpm pack wrote no tarball for @commerce-api/${name}`);
  return join(destination, tarball);
}

/** What a packed package.json must say for npm consumers. */
async function checkManifest(name: string, consumerDir: string): Promise<void> {
  const manifestPath = join(consumerDir, "node_modules", "@commerce-api", name, "package.json");
  const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
  const problems = [
    manifest.private && "it is private",
    manifest.type !== "module" && 'type is not "module"',
    manifest.sideEffects !== false && "sideEffects is not false",
    !manifest.exports?.["."]?.types && 'exports["."] has no types condition',
    JSON.stringify(manifest.dependencies ?? {}).includes("workspace:") && "a dependency still says workspace:",
    existsSync(join(consumerDir, "node_modules", "@commerce-api", name, "test")) && "it ships its tests",
  ].filter(Boolean);
  if (problems.length > 0) throw new CheckFailed(`@commerce-api/${name}'s packed package.json: ${problems.join("; ")}`);
}

/** Uses both clients the way the READMEs do; every assertion failure exits 1 with its message. */
const CONSUMER_SOURCE = `
import { createDirectScaleClient, NotFoundError, type CreateCustomerOrderRequest } from "@commerce-api/directscale";
import { createVoucherifyClient, type Order } from "@commerce-api/voucherify";

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

const sent: Request[] = [];
const fakeFetch = async (request: Request): Promise<Response> => {
  sent.push(request);
  const { pathname, searchParams } = new URL(request.url);
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  if (pathname === "/v1/customers/2/orders") {
    return json({ OrderId: 7, Total: 10, SubTotal: 10, TaxTotal: 0, ShippingTotal: 0, DiscountTotal: 0 }, 201);
  }
  if (pathname === "/v1/orders") {
    const page = Number(searchParams.get("page"));
    const orders = page === 1 ? [{ id: "ord_1", object: "order" }, { id: "ord_2", object: "order" }] : [{ id: "ord_3", object: "order" }];
    return json({ object: "list", data_ref: "orders", orders, total: 3 });
  }
  return json({ code: 404, message: "Resource not found" }, 404);
};

const order: CreateCustomerOrderRequest = {
  ShipMethodId: 6, StoreId: 3, CurrencyCode: "usd",
  ShippingAddress: { Street1: "350 S 400 W", City: "Lindon", Region: "UT", PostalCode: "84042", CountryCode: "us" },
  Items: [{ ItemId: 30, Quantity: 3 }],
  Payments: [{ Amount: 10, CurrencyCode: "usd", MerchantId: 99 }],
};

const ds = createDirectScaleClient({ apiKey: "secret-key", baseUrl: "http://mock.test", fetch: fakeFetch });
const { data } = await ds.POST("/v1/customers/{customerId}/orders", { params: { path: { customerId: "2" } }, body: order });
check(data?.OrderId === 7, "DirectScale: the created order's id did not come back");
check(sent[0]?.headers.get("ocp-apim-subscription-key") === "secret-key", "DirectScale: the key was not sent");

// @ts-expect-error the consumer sees the real types: this path does not exist
void ds.GET("/v1/nope");

const vf = createVoucherifyClient({ appId: "id", appToken: "token", baseUrl: "http://mock.test", fetch: fakeFetch });
const ids: string[] = [];
for await (const listed of vf.orders.list({ limit: 2 })) {
  const typed: Order = listed;
  ids.push(typed.id);
}
check(ids.join() === "ord_1,ord_2,ord_3", \`Voucherify: orders.list() yielded \${ids.join()}\`);

const missing = await vf.GET("/v1/orders/{orderId}", { params: { path: { orderId: "nope" } } });
check(missing.response.status === 404, "Voucherify: a missing order was not a 404");
const thrown = await createVoucherifyClient({ accessToken: "t", baseUrl: "http://mock.test", fetch: fakeFetch, throwOnError: true })
  .GET("/v1/orders/{orderId}", { params: { path: { orderId: "nope" } } })
  .catch((error: unknown) => error);
check(thrown instanceof NotFoundError, "one error class hierarchy is shared by both clients");

console.log("consumer check passed");
`;

async function checkConsumer(workDir: string, tarballs: string[]): Promise<void> {
  const consumerDir = join(workDir, "consumer");
  await mkdir(consumerDir);
  await writeFile(
    join(consumerDir, "package.json"),
    JSON.stringify({ name: "commerce-api-consumer", private: true, type: "module" }, null, 2),
  );
  await run("npm install of the tarballs", "npm", ["install", "--no-audit", "--no-fund", ...tarballs], consumerDir);
  for (const name of PACKAGES) await checkManifest(name, consumerDir);

  await writeFile(
    join(consumerDir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          target: "ES2023",
          lib: ["ES2023", "DOM", "DOM.Iterable"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          // No @types/node: the packages' types must not need it.
          types: [],
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: false,
          outDir: "out",
        },
        files: ["check.ts"],
      },
      null,
      2,
    ),
  );
  await writeFile(join(consumerDir, "check.ts"), CONSUMER_SOURCE);
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  await run(
    "type-checking the consumer (strict, skipLibCheck: false)",
    process.execPath,
    [tsc, "-p", "."],
    consumerDir,
  );
  const output = await run("running the consumer", process.execPath, [join("out", "check.js")], consumerDir);
  if (!output.includes("consumer check passed")) throw new CheckFailed(`the consumer did not finish:\n${output}`);
}

/** `attw` on each tarball; ESM-only packages, so the CommonJS resolutions do not apply. */
async function checkTypesResolution(tarballs: string[]): Promise<string> {
  const attw = join(packageDir("runtime"), "node_modules", ".bin", "attw");
  if (!existsSync(attw)) return "attw skipped: @arethetypeswrong/cli is not installed";
  for (const tarball of tarballs) {
    await run(`attw on ${tarball}`, attw, [tarball, "--profile", "esm-only", "--format", "ascii"], repoRoot);
  }
  return "attw: no problems";
}

const workDir = await mkdtemp(join(tmpdir(), "commerce-api-packages-"));
try {
  const tarballDir = join(workDir, "tarballs");
  await mkdir(tarballDir);
  const tarballs: string[] = [];
  for (const name of PACKAGES) tarballs.push(await pack(name, tarballDir));
  await checkConsumer(workDir, tarballs);
  const attwResult = await checkTypesResolution(tarballs);
  console.log(`packages check passed: ${PACKAGES.map((name) => `@commerce-api/${name}`).join(", ")}; ${attwResult}`);
} catch (error) {
  console.error(error instanceof CheckFailed ? `packages check: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  if (values.keep) console.log(`kept ${workDir}`);
  else await rm(workDir, { recursive: true, force: true });
}
