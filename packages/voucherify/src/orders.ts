import { type Client, unwrap } from "@commerce-api/runtime";
import { ExportFailedError, OrdersImportError } from "./errors.ts";
import type { Order, OrderExportParameters, OrderImportItem, operations, paths } from "./generated/openapi.ts";
import { pollUntilDone, type WaitOptions } from "./poll.ts";

/** Voucherify accepts at most this many orders in one import request. */
export const MAX_ORDERS_PER_IMPORT = 2000;
/** Voucherify's largest page size; `orders.list()` uses it unless told otherwise. */
const MAX_PAGE_SIZE = 100;

export type ListOrdersQuery = NonNullable<operations["listOrders"]["parameters"]["query"]>;

export interface Orders {
  /**
   * Every order, page after page: `for await (const order of vf.orders.list()) ...`.
   * Pages are fetched as the loop needs them, `limit` orders at a time (default 100, the
   * maximum), starting at `page` (default 1), until a page is short or `total` is reached.
   */
  list(query?: ListOrdersQuery, options?: { signal?: AbortSignal }): AsyncIterableIterator<Order>;
  /**
   * Imports any number of orders, in requests of at most 2000, one after the other, and
   * returns the async action ID of each request (wait for them with `asyncActions.wait`).
   * If a request fails, throws OrdersImportError saying which orders were already accepted.
   */
  import(orders: readonly OrderImportItem[], options?: { signal?: AbortSignal }): Promise<string[]>;
  /**
   * Exports orders to CSV: creates the export, polls it until DONE, and returns the file's
   * URL (it carries its own download token: GET it without API keys). Throws
   * ExportFailedError when the export ends in ERROR, WaitTimeoutError when `timeoutMs` runs out.
   */
  export(parameters?: OrderExportParameters, options?: WaitOptions): Promise<string>;
}

export function ordersHelpers(client: Client<paths>): Orders {
  return {
    async *list(query = {}, options = {}) {
      const limit = query.limit ?? MAX_PAGE_SIZE;
      for (let page = query.page ?? 1; ; page++) {
        const { orders, total } = await unwrap(
          client.GET("/v1/orders", { params: { query: { ...query, limit, page } }, signal: options.signal }),
        );
        yield* orders;
        // A short page is the last; so is the page that reaches `total` (no empty page after it).
        if (orders.length < limit || page * limit >= total) return;
      }
    },

    async import(orders, options = {}) {
      if (!Array.isArray(orders)) throw new TypeError("orders.import: orders must be an array of orders");
      const asyncActionIds: string[] = [];
      const requests = Math.ceil(orders.length / MAX_ORDERS_PER_IMPORT);
      for (let start = 0; start < orders.length; start += MAX_ORDERS_PER_IMPORT) {
        const chunk = orders.slice(start, start + MAX_ORDERS_PER_IMPORT);
        try {
          const { async_action_id } = await unwrap(
            client.POST("/v1/orders/import", { body: chunk, signal: options.signal }),
          );
          asyncActionIds.push(async_action_id);
        } catch (error) {
          throw new OrdersImportError(asyncActionIds, start, requests, error);
        }
      }
      return asyncActionIds;
    },

    async export(parameters, options = {}) {
      const created = await unwrap(
        client.POST("/v1/orders/export", {
          body: parameters === undefined ? {} : { parameters },
          signal: options.signal,
        }),
      );
      return pollUntilDone(
        "export",
        created.id,
        async () => {
          const current = await unwrap(
            client.GET("/v1/exports/{exportId}", {
              params: { path: { exportId: created.id } },
              signal: options.signal,
            }),
          );
          const url = current.result?.url;
          if (current.status === "ERROR" || (current.status === "DONE" && !url)) throw new ExportFailedError(current);
          return { status: current.status, result: current.status === "DONE" ? url : undefined };
        },
        options,
      );
    },
  };
}
