import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Each test spawns real processes (redocly, node, servers): give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
