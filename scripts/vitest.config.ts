import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Each test spawns real processes (redocly, node, servers) and start.test.ts builds a docs
    // site: give them room on 2 cores. Inside `pnpm test` with a load average of 25, a
    // codegen test took over 60 s and that site build over 30 s.
    testTimeout: 180_000,
    hookTimeout: 240_000,
  },
});
