import { CommerceApiError } from "@commerce-api/runtime";
import type { AsyncAction, Export } from "./generated/openapi.ts";

/** An async action (such as an order import) ended with status FAILED. */
export class AsyncActionFailedError extends CommerceApiError {
  override name = "AsyncActionFailedError";
  readonly asyncAction: AsyncAction;

  constructor(asyncAction: AsyncAction) {
    const detail = asyncAction.result?.message ? `: ${asyncAction.result.message}` : "";
    super(`async action ${asyncAction.id} (${asyncAction.type}) FAILED${detail}`);
    this.asyncAction = asyncAction;
  }
}

/** An export ended with status ERROR, or finished without a file URL. */
export class ExportFailedError extends CommerceApiError {
  override name = "ExportFailedError";
  readonly export: Export;

  constructor(failedExport: Export) {
    const { id, status } = failedExport;
    super(`export ${id} ${status === "ERROR" ? "ended in ERROR" : `is ${status} but has no result.url`}`);
    this.export = failedExport;
  }
}

/** A background job was still running when the wait's `timeoutMs` ran out. It may still finish. */
export class WaitTimeoutError extends CommerceApiError {
  override name = "WaitTimeoutError";
  /** The async action or export ID, to look it up again later. */
  readonly id: string;
  readonly lastStatus: string;
  readonly timeoutMs: number;

  constructor(what: string, id: string, lastStatus: string, timeoutMs: number) {
    super(`${what} ${id} is still ${lastStatus} after ${timeoutMs} ms (it may still finish: wait again, or longer)`);
    this.id = id;
    this.lastStatus = lastStatus;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * One request of a multi-request `orders.import()` failed. The requests before it were
 * accepted: `asyncActionIds` lists their jobs and `importedCount` how many orders they
 * carry, so the caller can resume from `orders.slice(importedCount)`. `cause` is the failure.
 */
export class OrdersImportError extends CommerceApiError {
  override name = "OrdersImportError";
  readonly asyncActionIds: string[];
  readonly importedCount: number;

  constructor(asyncActionIds: string[], importedCount: number, requests: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const accepted = importedCount
      ? `orders 0-${importedCount - 1} were accepted (async actions ${asyncActionIds.join(", ")}); resume with orders.slice(${importedCount})`
      : "no orders were imported";
    super(`orders.import: request ${asyncActionIds.length + 1} of ${requests} failed: ${reason}; ${accepted}`, {
      cause,
    });
    this.asyncActionIds = asyncActionIds;
    this.importedCount = importedCount;
  }
}
