/** Local `$ref` resolution in a bundled OpenAPI document, shared by the diff and the released-calls fixture. */

export type Json = { [key: string]: unknown };

/**
 * `value` with its local `$ref`s followed (`#/components/...`), so a parameter, body or
 * schema named by reference can be read. A reference cycle stops after 32 hops instead of
 * looping forever.
 */
export function resolveRef(document: unknown, value: unknown): unknown {
  let current = value;
  for (let hops = 0; hops < 32; hops += 1) {
    const ref = (current as Json | undefined)?.$ref;
    if (typeof ref !== "string" || !ref.startsWith("#/")) return current;
    current = ref
      .slice(2)
      .split("/")
      .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce<unknown>((node, token) => (node as Json | undefined)?.[token], document);
  }
  return current;
}
