/**
 * Voucherify's orders, imports and exports, kept in memory. Imports and exports are jobs that
 * move through their statuses on the sandbox's clock, one at a time like Voucherify's queue,
 * each taking `jobDelayMs`; their effects happen when they reach DONE.
 */
import { randomBytes } from "node:crypto";
import type { SandboxAnswer, SandboxContext, SandboxRequest, SandboxStore } from "./server.ts";

type Json = Record<string, unknown>;

interface Job {
  startsAt: number;
  doneAt: number;
  /** Applies the job's effect, once, when it is due. */
  finish(): void;
  finished: boolean;
}

const ORDER_FIELDS_COPIED = ["amount", "initial_amount", "discount_amount", "metadata", "referrer_id"] as const;
const DEFAULT_EXPORT_FIELDS = ["id", "source_id", "status"];

function notFound(what: string, id: string): SandboxAnswer {
  return {
    status: 404,
    body: { code: 404, key: "not_found", message: "Resource not found", details: `Cannot find ${what} with id ${id}` },
  };
}

function csvCell(value: unknown): string {
  const text =
    value === undefined || value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function voucherifySandbox(context: SandboxContext): SandboxStore {
  let orders = new Map<string, Json>();
  let bySourceId = new Map<string, string>();
  let asyncActions = new Map<string, Json>();
  let exports = new Map<string, Json & { token: string; file?: string }>();
  let jobs: Job[] = [];
  let counter = 0;
  /** The job behind each async action and export record, until it is DONE. */
  const jobOf = new WeakMap<Json, Job>();

  const iso = () => new Date(context.now()).toISOString();
  const nextId = (prefix: string) => `${prefix}_sandbox${String(++counter).padStart(8, "0")}`;

  /** Writes an order from a create, update or import body onto `existing` (or a new order, with `id` if given). */
  function writeOrder(input: Json, existing?: Json, id = nextId("ord")): Json {
    const order: Json = existing ?? {
      id,
      object: "order",
      source_id: null,
      created_at: iso(),
      updated_at: null,
      status: "CREATED",
      amount: 0,
      items: [],
      metadata: {},
      customer_id: null,
      referrer_id: null,
    };
    if (existing) order.updated_at = iso();
    if (typeof input.source_id === "string") {
      if (typeof order.source_id === "string") bySourceId.delete(order.source_id);
      order.source_id = input.source_id;
      bySourceId.set(input.source_id, order.id as string);
    }
    if (typeof input.status === "string") order.status = input.status;
    for (const field of ORDER_FIELDS_COPIED) if (input[field] !== undefined) order[field] = input[field];
    if (Array.isArray(input.items)) {
      order.items = input.items.map((item: Json) => ({ object: "order_item", ...item }));
      if (input.amount === undefined) {
        order.amount = (order.items as Json[]).reduce((sum, item) => sum + Number(item.amount ?? 0), 0);
      }
    }
    const customer = input.customer as Json | undefined;
    if (typeof customer?.id === "string") order.customer_id = customer.id;
    order.total_amount = (order.amount as number) - Number(order.discount_amount ?? 0);
    orders.set(order.id as string, order);
    return order;
  }

  /** The order an upsert body names by `id` or `source_id`; `missing` when it names an `id` that does not exist. */
  function findTarget(input: Json): Json | "missing" | undefined {
    if (typeof input.id === "string") return orders.get(input.id) ?? "missing";
    const id = typeof input.source_id === "string" ? bySourceId.get(input.source_id) : undefined;
    return id === undefined ? undefined : orders.get(id);
  }

  /** Queues a job behind the others; it takes `jobDelayMs` once it starts. */
  function schedule(finish: () => void): Job {
    const now = context.now();
    const startsAt = Math.max(now, jobs.at(-1)?.doneAt ?? now);
    const job: Job = { startsAt, doneAt: startsAt + context.jobDelayMs, finish, finished: false };
    jobs.push(job);
    return job;
  }

  /** Applies every job that is due, in the order they were queued. */
  function settle() {
    const now = context.now();
    for (const job of jobs) {
      if (job.doneAt > now) break;
      if (!job.finished) {
        job.finished = true;
        job.finish();
      }
    }
    jobs = jobs.filter((job) => !job.finished);
  }

  function importOrders(items: Json[]): SandboxAnswer {
    const id = nextId("aa");
    const action: Json = {
      id,
      object: "async_action",
      type: "ORDERS.IMPORT",
      status: "ENQUEUED",
      created_at: iso(),
      updated_at: null,
      progress: 0,
      result: null,
    };
    asyncActions.set(id, action);
    const job = schedule(() => {
      const failed: Json[] = [];
      for (const item of items) {
        const target = findTarget(item);
        if (target === "missing")
          failed.push({ source_id: item.source_id ?? null, reason: `no order with id ${item.id}` });
        else writeOrder(item, target);
      }
      const done = items.length - failed.length;
      Object.assign(action, {
        status: "DONE",
        operation_status: failed.length === 0 ? "SUCCESS" : "FAILED",
        progress: 100,
        updated_at: iso(),
        processing_time: context.jobDelayMs,
        result: {
          message: `${done} order(s) imported successfully, ${failed.length} failed.`,
          done_count: done,
          failed_count: failed.length,
          failed,
        },
      });
    });
    jobOf.set(action, job);
    return { status: 200, body: { async_action_id: id } };
  }

  /** ENQUEUED or IN_PROGRESS by the clock, for a job not yet DONE. */
  function showPending(record: Json, pending: { enqueued: string; running: string }) {
    const job = jobOf.get(record);
    if (!job || job.finished) return;
    const running = context.now() >= job.startsAt;
    record.status = running ? pending.running : pending.enqueued;
    if ("progress" in record) record.progress = running ? 50 : 0;
  }

  function exportOrders(body: Json): SandboxAnswer {
    const parameters = (body.parameters ?? {}) as { fields?: string[]; order?: string; filters?: Json };
    const id = nextId("exp");
    const token = randomBytes(16).toString("hex");
    const record: Json & { token: string; file?: string } = {
      id,
      object: "export",
      created_at: iso(),
      status: "SCHEDULED",
      channel: "API",
      exported_object: "order",
      parameters,
      result: null,
      user_id: null,
      token,
    };
    exports.set(id, record);
    const job = schedule(() => {
      const unsupported = Object.keys(parameters.filters ?? {}).filter((key) => key !== "junction" && key !== "status");
      if (unsupported.length > 0) {
        record.status = "ERROR";
        return;
      }
      const fields = parameters.fields ?? DEFAULT_EXPORT_FIELDS;
      const rows = filterByStatus(
        sortOrders([...orders.values()], parameters.order),
        parameters.filters?.status as Json,
      );
      const value = (order: Json, field: string) =>
        field.startsWith("metadata.") ? (order.metadata as Json | undefined)?.[field.slice(9)] : order[field];
      record.file = [fields.join(","), ...rows.map((order) => fields.map((f) => csvCell(value(order, f))).join(","))]
        .map((line) => `${line}\n`)
        .join("");
      record.status = "DONE";
      record.result = { url: `${context.baseUrl}/exports/${id}?token=${token}` };
    });
    jobOf.set(record, job);
    return { status: 200, body: publicExport(record) };
  }

  const publicExport = ({ token: _token, file: _file, ...visible }: Json & { token: string; file?: string }) => visible;

  function reset() {
    orders = new Map();
    bySourceId = new Map();
    asyncActions = new Map();
    exports = new Map();
    jobs = [];
    counter = 0;
    // A fixture may name its id, so a test can ask for a known order.
    for (const order of (context.fixtures.orders ?? []) as Json[]) {
      writeOrder(order, undefined, typeof order.id === "string" ? order.id : undefined);
    }
  }
  reset();

  const handled =
    (handle: (request: SandboxRequest, params: Record<string, string>) => SandboxAnswer) =>
    (request: SandboxRequest, params: Record<string, string>) => {
      settle();
      return handle(request, params);
    };

  return {
    reset,
    routes: [
      {
        method: "GET",
        path: "/v1/orders",
        handle: handled(({ query }) => {
          const limit = Number(query.get("limit") ?? 10);
          const page = Number(query.get("page") ?? 1);
          const sorted = sortOrders([...orders.values()], query.get("order") ?? undefined);
          const list = sorted.slice((page - 1) * limit, page * limit);
          return { status: 200, body: { object: "list", data_ref: "orders", orders: list, total: orders.size } };
        }),
      },
      {
        method: "POST",
        path: "/v1/orders",
        handle: handled(({ body }) => {
          const input = body as Json;
          const target = findTarget(input);
          if (target === "missing") return notFound("order", String(input.id));
          return { status: 200, body: writeOrder(input, target) };
        }),
      },
      {
        method: "GET",
        path: "/v1/orders/{orderId}",
        handle: handled((_, { orderId = "" }) => {
          const order = orders.get(orderId);
          return order ? { status: 200, body: order } : notFound("order", orderId);
        }),
      },
      {
        method: "PUT",
        path: "/v1/orders/{orderId}",
        handle: handled(({ body }, { orderId = "" }) => {
          const order = orders.get(orderId);
          return order ? { status: 200, body: writeOrder(body as Json, order) } : notFound("order", orderId);
        }),
      },
      { method: "POST", path: "/v1/orders/import", handle: handled(({ body }) => importOrders(body as Json[])) },
      {
        method: "GET",
        path: "/v1/async-actions/{asyncActionId}",
        handle: handled((_, { asyncActionId = "" }) => {
          const action = asyncActions.get(asyncActionId);
          if (!action) return notFound("async action", asyncActionId);
          showPending(action, { enqueued: "ENQUEUED", running: "IN_PROGRESS" });
          return { status: 200, body: action };
        }),
      },
      { method: "POST", path: "/v1/orders/export", handle: handled(({ body }) => exportOrders((body ?? {}) as Json)) },
      {
        method: "GET",
        path: "/v1/exports/{exportId}",
        handle: handled((_, { exportId = "" }) => {
          const record = exports.get(exportId);
          if (!record) return notFound("export", exportId);
          showPending(record, { enqueued: "SCHEDULED", running: "IN_PROGRESS" });
          return { status: 200, body: publicExport(record) };
        }),
      },
      {
        method: "GET",
        path: "/exports/{exportId}",
        handle: handled(({ query }, { exportId = "" }) => {
          const record = exports.get(exportId);
          if (!record || record.file === undefined) return notFound("export file", exportId);
          if (query.get("token") !== record.token) {
            return {
              status: 401,
              body: { code: 401, key: "unauthorized", message: "Unauthorized", details: "Invalid token" },
            };
          }
          return { status: 200, body: record.file, contentType: "text/csv" };
        }),
      },
    ],
  };
}

/** `order` as the spec's list and export take it: a field, `-` first for descending; default oldest first. */
function sortOrders(list: Json[], order = "created_at"): Json[] {
  const descending = order.startsWith("-");
  const field = descending ? order.slice(1) : order;
  const key = (entry: Json) => String(entry[field] ?? entry.created_at ?? "");
  // Array.prototype.sort is stable: orders created in the same millisecond keep their creation order.
  const sorted = [...list].sort((a, b) => key(a).localeCompare(key(b)));
  return descending ? sorted.reverse() : sorted;
}

function filterByStatus(list: Json[], filter: Json | undefined): Json[] {
  const conditions = filter?.conditions as { $in?: string[]; $is?: string } | undefined;
  if (!conditions) return list;
  return list.filter(
    (order) =>
      (conditions.$in === undefined || conditions.$in.includes(order.status as string)) &&
      (conditions.$is === undefined || conditions.$is === order.status),
  );
}
