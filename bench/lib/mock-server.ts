/**
 * `node bench/lib/mock-server.ts <name> <port>`: our mock, started with `startMock` the way
 * tests start it, alone in its own process so that the load generator never shares its
 * event loop and start-up is timed from a cold Node, like the `prism mock` CLI it is compared with.
 */
import { startMock } from "@commerce-api/mocks";

const [name, port] = process.argv.slice(2);
if (name === undefined || port === undefined) throw new Error("usage: mock-server.ts <api name> <port>");
const mock = await startMock(name, { port: Number(port) });
process.once("SIGTERM", () => {
  mock.close().then(() => process.exit(0));
});
