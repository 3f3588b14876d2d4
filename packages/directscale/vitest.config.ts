import { configDefaults, defineConfig } from "vitest/config";

const typeTests = ["test/types.test.ts"];

export default defineConfig({
  test: {
    // Type tests are only compiled, never run: `vitest run --typecheck` checks them with tsc,
    // where every `@ts-expect-error` line must fail to compile.
    exclude: [...configDefaults.exclude, ...typeTests],
    typecheck: { include: typeTests },
  },
});
