import { type Client, unwrap } from "@commerce-api/runtime";
import { AsyncActionFailedError } from "./errors.ts";
import type { AsyncAction, paths } from "./generated/openapi.ts";
import { pollUntilDone, type WaitOptions } from "./poll.ts";

export interface AsyncActions {
  /**
   * Polls the async action (e.g. an `orders.import()` job) until it is DONE and returns it.
   * Throws AsyncActionFailedError when it FAILED, WaitTimeoutError when `timeoutMs` runs out.
   * A DONE import can still have failed orders: check `result.failed_count`.
   */
  wait(asyncActionId: string, options?: WaitOptions): Promise<AsyncAction>;
}

export function asyncActionsHelpers(client: Client<paths>): AsyncActions {
  return {
    wait(asyncActionId, options) {
      return pollUntilDone(
        "async action",
        asyncActionId,
        async () => {
          const action = await unwrap(
            client.GET("/v1/async-actions/{asyncActionId}", {
              params: { path: { asyncActionId } },
              signal: options?.signal,
            }),
          );
          if (action.status === "FAILED") throw new AsyncActionFailedError(action);
          return { status: action.status, result: action.status === "DONE" ? action : undefined };
        },
        options,
      );
    },
  };
}
