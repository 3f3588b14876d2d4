import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMock, startMock } from "../src/index.ts";
import { appKeys, configPath, orderExamples } from "./fixtures/shop.ts";

async function getOrder(mock: RunningMock, prefer?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${mock.url}/orders/1`, { headers: { ...appKeys, ...(prefer && { Prefer: prefer }) } });
  return { status: response.status, body: await response.json() };
}

/** What the spec's Order schema requires of a generated order. */
const anOrder = {
  id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
  status: expect.stringMatching(/^(paid|refunded)$/),
  total: expect.any(Number),
  customerEmail: expect.stringContaining("@"),
  createdAt: expect.any(String),
};

describe("choosing a response with the Prefer header", () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock("shop", { configPath, port: 0 });
  });
  afterAll(() => mock.close());

  it("code=404 returns the spec's 404 example", async () => {
    expect(await getOrder(mock, "code=404")).toEqual({ status: 404, body: { message: "Order not found" } });
  });

  it("example=<name> returns that named example", async () => {
    expect(await getOrder(mock, "example=refunded")).toEqual({ status: 200, body: orderExamples.refunded.value });
  });

  it("dynamic=true generates data from the schema instead, the same on every call", async () => {
    const first = await getOrder(mock, "dynamic=true");
    expect(first.status).toBe(200);
    expect(first.body).toEqual(anOrder);
    expect(Object.values(orderExamples).map((example) => (example as { value: unknown }).value)).not.toContainEqual(
      first.body,
    );
    expect(await getOrder(mock, "dynamic=true")).toEqual(first);
  });
});

describe("a mock started with dynamic: true", () => {
  it("answers with schema-generated data that repeats for the same seed and changes with another", async () => {
    await using one = await startMock("shop", { configPath, port: 0, dynamic: true });
    await using sameSeed = await startMock("shop", { configPath, port: 0, dynamic: true, seed: 1 });
    await using otherSeed = await startMock("shop", { configPath, port: 0, dynamic: true, seed: 2 });

    const generated = await getOrder(one);
    expect(generated.body).toEqual(anOrder);
    expect(generated.body).not.toEqual(orderExamples.paid.value);
    expect(await getOrder(sameSeed)).toEqual(generated);
    expect((await getOrder(otherSeed)).body).not.toEqual(generated.body);
  });
});
