import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each CLI test starts a Node process that loads Prism (about half a second alone, more on a busy CI machine).
    testTimeout: 60_000,
    // Files share no mutable state (each starts and closes its own mocks), so a worker can run
    // several and load Prism once instead of once per file: a third of the package's test time.
    isolate: false,
  },
});
