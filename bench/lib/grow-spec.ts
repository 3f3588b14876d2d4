/**
 * A bundled spec made `factor` times larger: every path and every component is copied
 * `factor - 1` more times under new names (`/copy2/v1/orders`, `OrderCopy2`), each copy's
 * `$ref`s and operationIds renamed to match, so the result is as valid as the original and
 * just as interlinked, only bigger.
 *
 *   node bench/lib/grow-spec.ts specs/voucherify/dist/voucherify.json 10 > /tmp/voucherify-10x.json
 */
import { readFile } from "node:fs/promises";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Spec {
  paths?: Record<string, Json>;
  components?: Record<string, Record<string, Json>>;
  [key: string]: unknown;
}

const COMPONENT_REF = /^#\/components\/([^/]+)\/([^/]+)$/;

/**
 * A deep copy of `node` with every component reference pointing at the copy's renamed
 * component and every operationId made unique. References are matched as whole strings, so
 * `$ref`s and discriminator mappings are both renamed. Security schemes are named by
 * `security` requirements rather than referenced, and are shared by all copies.
 */
function renamed(node: Json, suffix: string): Json {
  if (typeof node === "string") {
    const match = COMPONENT_REF.exec(node);
    return match && match[1] !== "securitySchemes" ? `#/components/${match[1]}/${match[2]}${suffix}` : node;
  }
  if (Array.isArray(node)) return node.map((item) => renamed(item, suffix));
  if (node === null || typeof node !== "object") return node;
  // An operation: the object that has `responses` beside a string `operationId`.
  const isOperation = "responses" in node && typeof node.operationId === "string";
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) =>
      isOperation && key === "operationId" ? [key, `${value as string}${suffix}`] : [key, renamed(value, suffix)],
    ),
  );
}

export function growSpec(spec: Spec, factor: number): Spec {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`factor must be a whole number >= 1 (got ${factor})`);
  const copies = Array.from({ length: factor }, (_, index) => (index === 0 ? "" : `Copy${index + 1}`));
  const paths: Record<string, Json> = {};
  for (const suffix of copies) {
    for (const [path, item] of Object.entries(spec.paths ?? {})) {
      paths[suffix ? `/${suffix.toLowerCase()}${path}` : path] = suffix ? renamed(item, suffix) : item;
    }
  }
  const components: Record<string, Record<string, Json>> = {};
  for (const [kind, entries] of Object.entries(spec.components ?? {})) {
    if (kind === "securitySchemes") {
      components[kind] = entries;
      continue;
    }
    components[kind] = {};
    for (const suffix of copies) {
      for (const [name, value] of Object.entries(entries)) {
        components[kind][`${name}${suffix}`] = suffix ? renamed(value, suffix) : value;
      }
    }
  }
  return { ...spec, paths, components };
}

if (import.meta.main) {
  const [input, factor] = process.argv.slice(2);
  if (input === undefined || factor === undefined) throw new Error("usage: grow-spec.ts <bundled spec.json> <factor>");
  const spec = JSON.parse(await readFile(input, "utf8")) as Spec;
  process.stdout.write(`${JSON.stringify(growSpec(spec, Number(factor)), null, 2)}\n`);
}
