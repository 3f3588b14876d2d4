import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The tests run Redocly builds and a real Chromium; on two shared cores a file at a time
    // is faster than contending, and a build or page load can take several seconds.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
