import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { PortInUseError, startMock, startMocks } from "../src/index.ts";
import { configPath } from "./fixtures/shop.ts";

/** Holds a port on 127.0.0.1, the way another program would. */
async function occupyPort(port = 0): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return server;
}

const portOf = (server: Server) => (server.address() as { port: number }).port;
const release = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

async function freePort(): Promise<number> {
  const server = await occupyPort();
  const port = portOf(server);
  await release(server);
  return port;
}

describe("ports", () => {
  const held: Server[] = [];
  afterEach(async () => {
    delete process.env.SHOP_MOCK_PORT;
    await Promise.all(held.splice(0).map(release));
  });

  it("listens on the port in the API's variable when none is passed", async () => {
    const port = await freePort();
    process.env.SHOP_MOCK_PORT = String(port);
    await using mock = await startMock("shop", { configPath });
    expect(mock.port).toBe(port);
    expect(mock.url).toBe(`http://127.0.0.1:${port}`);
  });

  it("refuses a variable that is not a port number, naming it", async () => {
    process.env.SHOP_MOCK_PORT = "http://localhost:4990";
    await expect(startMock("shop", { configPath })).rejects.toThrow(
      "SHOP_MOCK_PORT=http://localhost:4990 is not a port number (0-65535)",
    );
  });

  it("reports a port in use with the port and the variable that moves it", async () => {
    const taken = await occupyPort();
    held.push(taken);
    const failure = startMock("shop", { configPath, port: portOf(taken) });
    await expect(failure).rejects.toBeInstanceOf(PortInUseError);
    await expect(failure).rejects.toMatchObject({
      port: portOf(taken),
      envVar: "SHOP_MOCK_PORT",
      message: `port ${portOf(taken)} is in use (set SHOP_MOCK_PORT to another port)`,
    });
  });

  it("starts all mocks or none: when one port is taken, the mocks that did start are closed", async () => {
    const taken = await occupyPort();
    held.push(taken);
    const directscalePort = await freePort();
    const failure = startMocks({ ports: { directscale: directscalePort, voucherify: portOf(taken) } });
    await expect(failure).rejects.toMatchObject({ port: portOf(taken), envVar: "VOUCHERIFY_MOCK_PORT" });
    // DirectScale's port is free again: its mock did not stay behind.
    held.push(await occupyPort(directscalePort));
  });

  it("refuses ports for APIs it is not starting, so a misspelt name is not silently ignored", async () => {
    await expect(startMocks({ names: ["voucherify"], ports: { voucherfy: 0 } })).rejects.toThrow("voucherfy");
  });
});
