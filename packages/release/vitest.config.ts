import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each api:check case compiles the released calls with the TypeScript API (seconds on 2 cores).
    testTimeout: 60_000,
  },
});
