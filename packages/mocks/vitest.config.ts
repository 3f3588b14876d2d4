import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each CLI test starts a Node process that loads Prism (about half a second alone, more on a busy CI machine).
    testTimeout: 20_000,
  },
});
