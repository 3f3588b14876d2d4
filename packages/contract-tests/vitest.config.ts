import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { CoverageReporter } from "./src/coverage-reporter.ts";

// The suite proper: the cases each API's spec yields. Each spec package runs it for its own API
// (src/api-suite.ts), so an edit to one spec reruns only that API's cases; this package's own
// `test` runs the rest, the tests of the suite's machinery.
const suiteFiles = [
  "test/examples.test.ts",
  "test/negative.test.ts",
  "test/properties.test.ts",
  "test/types.test.ts",
  "test/drift.test.ts",
];

// The suite's machinery on fixture APIs only (no real spec, no client package): its own task,
// `test:fixtures`, which waits for no client build, so a spec edit replays it from the cache.
const fixtureFiles = [
  "test/baseline.test.ts",
  "test/negative-rules.test.ts",
  "test/schema.test.ts",
  "test/vendor-specs.test.ts",
];

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
    resolve: {
      // The mocks from source: their build also ships every API's bundle, so a spec package's run
      // that waited for it would rerun on any other API's edit.
      alias: { "@commerce-api/mocks": fileURLToPath(new URL("../mocks/src/index.ts", import.meta.url)) },
    },
    test: {
      // The cases are HTTP round trips to an in-process mock: many can be in flight at once.
      maxConcurrency: 32,
      // Files share no mutable state (each starts its own mocks in beforeAll), so a worker can
      // run several: loading Prism and the clients once per worker instead of once per file
      // is a third of the suite's time on 2 cores.
      isolate: false,
      testTimeout: 30_000,
      hookTimeout: 30_000,
      projects: [
        // The typed-cases compile (types.test.ts) runs in a beforeAll; with two APIs' suites at
        // once on a loaded 2-core machine it has taken over 30 s. The property tests run up to
        // 32 at once, sharing the CPU: at load averages near 20 each took over 30 s. A timeout
        // here only catches a hang; the suite's speed is a `pnpm bench` figure.
        {
          extends: true,
          test: { name: "suite", include: suiteFiles, hookTimeout: 120_000, testTimeout: 120_000 },
        },
        { extends: true, test: { name: "fixtures", include: fixtureFiles } },
        {
          extends: true,
          test: { name: "machinery", include: ["test/**/*.test.ts"], exclude: [...suiteFiles, ...fixtureFiles] },
        },
      ],
    },
  };
});
