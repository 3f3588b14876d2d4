import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AsyncActionFailedError, type Export, ExportFailedError, WaitTimeoutError } from "../src/index.ts";
import { fakeVoucherify, json, testClient } from "./helpers.ts";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const FILE_URL = "https://download.voucherify.io/v1/exports/exp_1?token=dl-token";

function exportObject(status: string, result: { url: string } | null = null) {
  return {
    id: "exp_1",
    object: "export",
    created_at: "2025-01-01T00:00:00Z",
    status,
    exported_object: "order",
    result,
    user_id: null,
  };
}

/** Serves the export's statuses one GET after the other, repeating the last. */
function exportEndpoint(...statuses: ReturnType<typeof exportObject>[]) {
  let polls = 0;
  return fakeVoucherify({
    "POST /v1/orders/export": () => json(exportObject("SCHEDULED")),
    "GET /v1/exports/exp_1": () => json(statuses[Math.min(polls++, statuses.length - 1)]),
  });
}

function asyncAction(status: string, result: object | null = null) {
  return {
    id: "aa_1",
    object: "async_action",
    type: "ORDERS.IMPORT",
    status,
    created_at: "2025-01-01T00:00:00Z",
    result,
  };
}

function asyncActionEndpoint(...actions: ReturnType<typeof asyncAction>[]) {
  let polls = 0;
  return fakeVoucherify({
    "GET /v1/async-actions/aa_1": () => json(actions[Math.min(polls++, actions.length - 1)]),
  });
}

describe("orders.export", () => {
  it("creates the export, polls it until DONE and returns the file's URL", async () => {
    const { fetch, requests } = exportEndpoint(
      exportObject("SCHEDULED"),
      exportObject("IN_PROGRESS"),
      exportObject("DONE", { url: FILE_URL }),
    );
    const pending = testClient(fetch).orders.export({ fields: ["id", "status"], order: "-created_at" });

    await vi.advanceTimersByTimeAsync(1000 + 1500);

    expect(await pending).toBe(FILE_URL);
    expect(requests.map(({ method, url }) => `${method} ${url.pathname}`)).toEqual([
      "POST /v1/orders/export",
      "GET /v1/exports/exp_1",
      "GET /v1/exports/exp_1",
      "GET /v1/exports/exp_1",
    ]);
    expect(requests[0]?.body).toEqual({ parameters: { fields: ["id", "status"], order: "-created_at" } });
  });

  it("waits longer between each poll: 1 s, then 1.5 s, ...", async () => {
    const { fetch, requests } = exportEndpoint(exportObject("IN_PROGRESS"));
    testClient(fetch)
      .orders.export()
      .catch(() => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1499);
    expect(requests).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(4);
  });

  it("sends an empty body when given no parameters (Voucherify's default columns)", async () => {
    const { fetch, requests } = exportEndpoint(exportObject("DONE", { url: FILE_URL }));
    expect(await testClient(fetch).orders.export()).toBe(FILE_URL);
    expect(requests[0]?.body).toEqual({});
  });

  it("throws ExportFailedError when the export ends in ERROR", async () => {
    const { fetch } = exportEndpoint(exportObject("ERROR"));
    const failure = await testClient(fetch)
      .orders.export()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExportFailedError);
    expect((failure as ExportFailedError).message).toBe("export exp_1 ended in ERROR");
    expect((failure as ExportFailedError).export.status).toBe("ERROR");
  });

  it("throws ExportFailedError when a DONE export has no file URL", async () => {
    const { fetch } = exportEndpoint(exportObject("DONE"));
    await expect(testClient(fetch).orders.export()).rejects.toThrow(
      new ExportFailedError(exportObject("DONE") as Export),
    );
  });

  it("gives up after timeoutMs with a message saying what is still running", async () => {
    const { fetch } = exportEndpoint(exportObject("IN_PROGRESS"));
    const assertion = expect(testClient(fetch).orders.export(undefined, { timeoutMs: 5000 })).rejects.toSatisfy(
      (error) =>
        error instanceof WaitTimeoutError &&
        error.id === "exp_1" &&
        error.message.startsWith("export exp_1 is still IN_PROGRESS after 5000 ms"),
    );
    await vi.advanceTimersByTimeAsync(5000);
    await assertion;
  });
});

describe("asyncActions.wait", () => {
  it("returns the async action once it is DONE", async () => {
    const done = asyncAction("DONE", { message: "2 order(s) imported", done_count: 2, failed_count: 0 });
    const { fetch, requests } = asyncActionEndpoint(asyncAction("ENQUEUED"), asyncAction("IN_PROGRESS"), done);
    const pending = testClient(fetch).asyncActions.wait("aa_1");

    await vi.advanceTimersByTimeAsync(2500);

    expect(await pending).toEqual(done);
    expect(requests).toHaveLength(3);
  });

  it("throws AsyncActionFailedError, with the action's own message, when it FAILED", async () => {
    const { fetch } = asyncActionEndpoint(asyncAction("FAILED", { message: "Invalid CSV" }));
    const failure = await testClient(fetch)
      .asyncActions.wait("aa_1")
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AsyncActionFailedError);
    expect((failure as AsyncActionFailedError).message).toBe("async action aa_1 (ORDERS.IMPORT) FAILED: Invalid CSV");
  });

  it("throws WaitTimeoutError after timeoutMs, checking one last time at the deadline", async () => {
    const { fetch, requests } = asyncActionEndpoint(asyncAction("IN_PROGRESS"));
    const assertion = expect(
      testClient(fetch).asyncActions.wait("aa_1", { timeoutMs: 3000, pollIntervalMs: 1000 }),
    ).rejects.toThrow("async action aa_1 is still IN_PROGRESS after 3000 ms");
    // Checks at 0, 1000, 2500 and, cut short to the deadline, 3000.
    await vi.advanceTimersByTimeAsync(3000);
    await assertion;
    expect(requests).toHaveLength(4);
  });

  it("stops polling when the caller aborts", async () => {
    const { fetch, requests } = asyncActionEndpoint(asyncAction("IN_PROGRESS"));
    const controller = new AbortController();
    const assertion = expect(
      testClient(fetch).asyncActions.wait("aa_1", { signal: controller.signal }),
    ).rejects.toThrow("shutting down");
    await vi.advanceTimersByTimeAsync(500);
    controller.abort(new Error("shutting down"));
    await assertion;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(requests).toHaveLength(1);
  });
});
