/**
 * The root scripts' `turbo`: turbo itself, with the running Node's major version in
 * NODE_RUNTIME_MAJOR, which turbo.json's globalEnv hashes into every task's cache key. pnpm
 * cannot carry it (pnpm 12 says `node/?` in npm_config_user_agent) and turbo, a native
 * binary, does not know it, so without this a Node 26 run would replay a Node 24 result,
 * from the local cache or a shared remote one. Turbo's anonymous telemetry is off
 * (TURBO_TELEMETRY_DISABLED), so no run phones home or prints its notice. Arguments, output
 * and exit code are turbo's.
 *
 *   node scripts/turbo.ts run test --filter=@commerce-api/runtime
 */
import { spawn } from "node:child_process";

const major = process.versions.node.split(".")[0] as string;
const turbo = spawn("turbo", process.argv.slice(2), {
  stdio: "inherit",
  env: { ...process.env, NODE_RUNTIME_MAJOR: major, TURBO_TELEMETRY_DISABLED: "1" },
});
// Ctrl-C reaches turbo directly (same process group); a SIGTERM sent to this process alone is
// passed on, so turbo stops its tasks instead of being orphaned.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => turbo.kill(signal));
turbo.on("error", (error) => {
  console.error(`could not start turbo (${error.message}): run \`pnpm install\` first`);
  process.exit(1);
});
turbo.on("exit", (code) => {
  process.exitCode = code ?? 1;
});
