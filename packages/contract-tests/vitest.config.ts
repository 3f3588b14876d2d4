import { defineConfig } from "vitest/config";
import { CoverageReporter } from "./src/coverage-reporter.ts";

export default defineConfig(({ mode }) => {
  // `pnpm contract:live` (mode "live") is the uncached run against a real host: without a
  // host it would only repeat the mock run that `pnpm test` caches.
  if (mode === "live" && !process.env.CONTRACT_TARGET?.trim()) {
    throw new Error("contract:live needs CONTRACT_TARGET=<url> and the API's credentials (see README, Live mode)");
  }
  return {
    plugins: [
      {
        name: "contract-coverage",
        // `--reporter` on the command line replaces the config's `reporters`, and the test
        // script names its own (default + json for CI). Adding the coverage reporter here,
        // before Vitest builds its reporter list, keeps it in every run however it is started.
        configureVitest({ vitest }) {
          vitest.config.reporters.push(new CoverageReporter());
        },
      },
    ],
    test: {
      include: ["test/**/*.test.ts"],
      // The cases are HTTP round trips to an in-process mock: many can be in flight at once.
      maxConcurrency: 32,
      // Files share no mutable state (each starts its own mocks in beforeAll), so a worker can
      // run several: loading Prism and the clients once per worker instead of once per file
      // is a third of the suite's time on 2 cores.
      isolate: false,
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
});
