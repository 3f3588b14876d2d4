/**
 * `pnpm cache:serve`: a turbo remote cache for this repository, served by the maintained
 * `turborepo-remote-cache` package (its own server, storage and graceful stop), with this
 * repository's defaults on top:
 *
 * - binds 127.0.0.1:4020 (TURBO_CACHE_HOST, TURBO_CACHE_PORT), where the package's own
 *   default is every interface;
 * - refuses to start without TURBO_TOKEN, the bearer token every artifact request must carry;
 * - keeps artifacts in .turbo-remote-cache/ (gitignored; STORAGE_PATH to move it), or in a
 *   bucket with the package's own STORAGE_PROVIDER / STORAGE_PATH / S3_* variables;
 * - stops on Ctrl-C (SIGINT) or SIGTERM, finishing the requests in flight.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../specs/index.ts";

const DEFAULT_HOST = "127.0.0.1";
const DEFAULT_PORT = 4020;
const DEFAULT_STORAGE_DIR = join(repoRoot, ".turbo-remote-cache");

class ConfigError extends Error {}

function portFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw === "") return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`TURBO_CACHE_PORT=${raw} is not a port number (0-65535)`);
  }
  return port;
}

/** The package's environment, from ours: what it reads is process.env at import time. */
function serverEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!env.TURBO_TOKEN?.trim()) {
    throw new ConfigError(
      "TURBO_TOKEN is not set: the cache server refuses to start without the bearer token its clients must send. " +
        "Set it to a long random string, e.g. TURBO_TOKEN=$(openssl rand -hex 32), and give clients the same value.",
    );
  }
  const provider = env.STORAGE_PROVIDER?.trim() || "local";
  const local = provider === "local";
  return {
    ...env,
    // The package's HOST and PORT are names other tools use too; ours are explicit.
    HOST: env.TURBO_CACHE_HOST?.trim() || DEFAULT_HOST,
    PORT: String(portFromEnv(env.TURBO_CACHE_PORT)),
    AUTH_MODE: "static",
    STORAGE_PROVIDER: provider,
    // For a bucket provider STORAGE_PATH is the bucket's name and passes through as given.
    ...(local && {
      STORAGE_PATH: resolve(env.STORAGE_PATH?.trim() || DEFAULT_STORAGE_DIR),
      STORAGE_PATH_USE_TMP_FOLDER: "false",
    }),
    // The package keeps and serves each artifact's signature (x-artifact-tag) only when this
    // is set, and does nothing else with it: clients sign and verify with their own key. So
    // the server is told to keep tags without ever holding the real key.
    TURBO_REMOTE_CACHE_SIGNATURE_KEY: "keep-artifact-tags",
  };
}

/** The package's command-line entry point (its package.json `bin`). */
function serverCli(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve("turborepo-remote-cache/package.json");
  const { bin } = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin: Record<string, string> };
  const cli = bin["turborepo-remote-cache"];
  if (cli === undefined) throw new Error("turborepo-remote-cache has no turborepo-remote-cache command");
  return join(dirname(manifestPath), cli);
}

try {
  process.env = serverEnv(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`cache:serve: ${error.message}`);
  process.exit(1);
}
console.log(
  `cache:serve: turbo remote cache on http://${process.env.HOST}:${process.env.PORT}, storage ${process.env.STORAGE_PROVIDER}${process.env.STORAGE_PROVIDER === "local" ? ` in ${process.env.STORAGE_PATH}` : ""}`,
);
// In this process, so the package's own SIGINT/SIGTERM handling (close-with-grace) is what stops it.
await import(pathToFileURL(serverCli()).href);
