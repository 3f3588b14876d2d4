/**
 * `node bench/lib/mock-server.ts <name> <port> [stateful]`: our mock, started with `startMock`
 * the way tests start it, alone in its own process so that the load generator never shares its
 * event loop and start-up is timed from a cold Node, like the `prism mock` CLI it is compared with.
 * `stateful` starts the sandbox seeded with `sandboxFixtures`, which hold the sample request's record.
 */
import { startMock } from "@commerce-api/mocks";
import { sandboxFixtures } from "./requests.ts";

const [name, port, mode] = process.argv.slice(2);
if (name === undefined || port === undefined) throw new Error("usage: mock-server.ts <api name> <port> [stateful]");
const stateful = mode === "stateful" ? { fixtures: sandboxFixtures[name] } : undefined;
const mock = await startMock(name, { port: Number(port), stateful });
process.once("SIGTERM", () => {
  mock.close().then(() => process.exit(0));
});
