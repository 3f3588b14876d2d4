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
export { createDirectScaleClient, type DirectScaleClient, type DirectScaleClientOptions } from "./generated/client.ts";
export * from "./generated/openapi.ts";
