import { defineConfig } from "vitest/config";

// One API's pages and samples (`api`): each spec package's test:docs runs them for its own API
// (test/support/api-tests.ts), so an edit to one spec reruns only that API's. The index, which
// shows every API, is `site`; the builder, server and samples on fixture specs are `unit`.
const apiFiles = ["test/reference-page.test.ts", "test/api-samples.test.ts"];
const siteFiles = ["test/site.test.ts"];

export default defineConfig({
  test: {
    // The tests run Redocly builds and a real Chromium; on two shared cores a file at a time
    // is faster than contending, and a build or page load can take several seconds.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: "api", include: apiFiles } },
      { extends: true, test: { name: "site", include: siteFiles } },
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: [...apiFiles, ...siteFiles] } },
    ],
  },
});
