/**
 * Proves the published packages work for a consumer outside this workspace. For each set of
 * packages: packs them with `pnpm pack`, installs the tarballs together into a fresh project
 * with `npm install`, compiles a small strict TypeScript file that uses them (`skipLibCheck:
 * false`), runs it, and runs `attw` (are the types wrong?) and `publint` on each tarball.
 *
 *   clients: @commerce-api/runtime, /directscale and /voucherify; the consumer calls both
 *            clients against a fake fetch, with no @types/node.
 *   mocks:   @commerce-api/mocks; the consumer is its README's first example (a real mock,
 *            started and called), then the `commerce-api-mock` bin serves one API on a port.
 *
 *   node scripts/check-packages.ts [clients] [mocks]   # packs the dist/ already built (default: clients)
 *   node scripts/check-packages.ts --build mocks       # builds the packages first
 *
 * Exits 1 with a message saying which step failed and why.
 */
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../specs/index.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
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

/** What a packed package.json must say for npm consumers; `packed` are the packages installed beside it. */
async function checkManifest(name: string, consumerDir: string, packed: readonly string[]): Promise<void> {
  const manifestPath = join(consumerDir, "node_modules", "@commerce-api", name, "package.json");
  const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
  const problems = [
    manifest.private && "it is private",
    manifest.type !== "module" && 'type is not "module"',
    manifest.sideEffects !== false && "sideEffects is not false",
    !manifest.exports?.["."]?.types && 'exports["."] has no types condition',
    JSON.stringify(manifest.dependencies ?? {}).includes("workspace:") && "a dependency still says workspace:",
    ...Object.keys(manifest.dependencies ?? {})
      .filter((dependency) => dependency.startsWith("@commerce-api/") && !packed.includes(dependency.slice(14)))
      .map((dependency) => `it depends on ${dependency}, which is not published with it`),
    existsSync(join(consumerDir, "node_modules", "@commerce-api", name, "test")) && "it ships its tests",
  ].filter(Boolean);
  if (problems.length > 0) throw new CheckFailed(`@commerce-api/${name}'s packed package.json: ${problems.join("; ")}`);
}

/** Uses both clients the way the READMEs do; every assertion failure exits 1 with its message. */
const CLIENTS_CONSUMER = `
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

/** The first TypeScript example of a package's README, which is written to run as it is. */
async function readmeExample(name: string): Promise<string> {
  const readme = await readFile(join(packageDir(name), "README.md"), "utf8");
  const example = readme.match(/```ts\n([\s\S]*?)```/)?.[1];
  if (example === undefined) throw new CheckFailed(`packages/${name}/README.md has no \`\`\`ts example`);
  return example;
}

/** Starts the installed `commerce-api-mock` for one API on a free port, calls it, and stops it with SIGTERM. */
async function checkMockBin(consumerDir: string): Promise<void> {
  const bin = join(consumerDir, "node_modules", ".bin", "commerce-api-mock");
  const child = spawn(bin, ["voucherify", "--port", "0"], { cwd: consumerDir, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const exited = once(child, "exit");
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", () => {
        const match = output.match(/Voucherify mock {2}(http:\/\/127\.0\.0\.1:\d+)/);
        if (match?.[1]) resolve(match[1]);
      });
      exited.then(() => reject(new CheckFailed(`commerce-api-mock exited before serving:\n${output}`)));
    });
    const response = await fetch(`${url}/v1/orders`, { headers: { "X-App-Id": "id", "X-App-Token": "token" } });
    if (response.status !== 200) throw new CheckFailed(`commerce-api-mock answered ${response.status}:\n${output}`);
  } finally {
    child.kill("SIGTERM");
  }
  const [code] = await exited;
  if (code !== 0) throw new CheckFailed(`commerce-api-mock exited ${code} on SIGTERM:\n${output}`);
}

interface PackageSet {
  packages: readonly string[];
  /** TypeScript the consumer compiles and runs; it prints `expected` when it worked. */
  consumer: () => Promise<string>;
  expected: string;
  /** The consumer's `lib` and `types`: the client packages must not need @types/node. */
  lib: string[];
  types: string[];
  /** More checks in the consumer project after the consumer ran. */
  after?: (consumerDir: string) => Promise<void>;
}

const SETS: Record<string, PackageSet> = {
  clients: {
    packages: ["runtime", "directscale", "voucherify"],
    consumer: async () => CLIENTS_CONSUMER,
    expected: "consumer check passed",
    lib: ["ES2023", "DOM", "DOM.Iterable"],
    types: [],
  },
  mocks: {
    packages: ["mocks"],
    consumer: () => readmeExample("mocks"),
    expected: "200 list 2",
    lib: ["ES2023", "DOM", "DOM.Iterable", "ESNext.Disposable"],
    types: [],
    after: checkMockBin,
  },
};

async function checkConsumer(workDir: string, set: PackageSet, tarballs: string[]): Promise<void> {
  const consumerDir = join(workDir, "consumer");
  await mkdir(consumerDir);
  await writeFile(
    join(consumerDir, "package.json"),
    JSON.stringify({ name: "commerce-api-consumer", private: true, type: "module" }, null, 2),
  );
  await run("npm install of the tarballs", "npm", ["install", "--no-audit", "--no-fund", ...tarballs], consumerDir);
  for (const name of set.packages) await checkManifest(name, consumerDir, set.packages);

  await writeFile(
    join(consumerDir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          target: "ES2023",
          lib: set.lib,
          module: "NodeNext",
          moduleResolution: "NodeNext",
          types: set.types,
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
  await writeFile(join(consumerDir, "check.ts"), await set.consumer());
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  await run(
    "type-checking the consumer (strict, skipLibCheck: false)",
    process.execPath,
    [tsc, "-p", "."],
    consumerDir,
  );
  const output = await run("running the consumer", process.execPath, [join("out", "check.js")], consumerDir);
  if (!output.includes(set.expected)) {
    throw new CheckFailed(`the consumer did not print "${set.expected}":\n${output}`);
  }
  await set.after?.(consumerDir);
}

/**
 * `attw` (ESM-only packages, so the CommonJS resolutions do not apply) and `publint --strict`
 * on each tarball.
 */
async function lintTarballs(tarballs: string[]): Promise<string> {
  const attw = join(packageDir("runtime"), "node_modules", ".bin", "attw");
  const publint = join(repoRoot, "scripts", "node_modules", ".bin", "publint");
  const skipped = [attw, publint].filter((tool) => !existsSync(tool));
  if (skipped.length > 0) return `attw and publint skipped: ${skipped.join(", ")} not installed`;
  for (const tarball of tarballs) {
    await run(`attw on ${tarball}`, attw, [tarball, "--profile", "esm-only", "--format", "ascii"], repoRoot);
    await run(`publint on ${tarball}`, publint, ["run", tarball, "--strict"], repoRoot);
  }
  return "attw and publint: no problems";
}

async function checkSet(name: string, set: PackageSet): Promise<string> {
  const workDir = await mkdtemp(join(tmpdir(), `commerce-api-packages-${name}-`));
  try {
    const tarballDir = join(workDir, "tarballs");
    await mkdir(tarballDir);
    const tarballs: string[] = [];
    for (const packageName of set.packages) tarballs.push(await pack(packageName, tarballDir));
    await checkConsumer(workDir, set, tarballs);
    const lintResult = await lintTarballs(tarballs);
    return `packages check passed: ${set.packages.map((packageName) => `@commerce-api/${packageName}`).join(", ")}; ${lintResult}`;
  } finally {
    if (values.keep) console.log(`kept ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }
}

try {
  const names = positionals.length > 0 ? positionals : ["clients"];
  for (const name of names) {
    const set = SETS[name];
    if (!set) throw new CheckFailed(`unknown package set "${name}" (known: ${Object.keys(SETS).join(", ")})`);
    console.log(await checkSet(name, set));
  }
} catch (error) {
  console.error(error instanceof CheckFailed ? `packages check: ${error.message}` : error);
  process.exitCode = 1;
}
