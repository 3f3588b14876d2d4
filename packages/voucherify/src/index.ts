export {
  ApiError,
  AuthenticationError,
  BadRequestError,
  CommerceApiError,
  ConnectionError,
  type Middleware,
  NotFoundError,
  RateLimitError,
  redactHeaders,
  ServerError,
  TimeoutError,
  unwrap,
} from "@commerce-api/runtime";
export type { AsyncActions } from "./async-actions.ts";
export { createVoucherifyClient, type VoucherifyClient, type VoucherifyClientOptions } from "./client.ts";
export { AsyncActionFailedError, ExportFailedError, OrdersImportError, WaitTimeoutError } from "./errors.ts";
export * from "./generated/openapi.ts";
export { type ListOrdersQuery, MAX_ORDERS_PER_IMPORT, type Orders } from "./orders.ts";
export type { WaitOptions } from "./poll.ts";
