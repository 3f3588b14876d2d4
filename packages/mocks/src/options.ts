/**
 * The options and constants of the public API that the servers read. Kept apart from the
 * modules that import Node's and Prism's types, so the published declarations need neither.
 */

/** Limits that keep a mock answering under careless or hostile traffic. */
export interface Limits {
  /** Largest request body accepted, in bytes; a larger one gets 413. Default 10 MiB, Prism's own limit. */
  maxBodyBytes: number;
  /** Time a client has to send a whole request, in ms; then it gets 408 and is disconnected. Default 30 s. */
  requestTimeoutMs: number;
  /** Time a client has to send the request headers, in ms. Default 10 s. */
  headersTimeoutMs: number;
  /** Open connections served at once; more are closed as they arrive. Default 256. */
  maxConnections: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxBodyBytes: 10 * 1024 * 1024,
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  maxConnections: 256,
};

export interface SandboxOptions {
  /** Records to start from (and to return to on reset), by collection: `{ orders: [...] }`. Default: none. */
  fixtures?: Record<string, unknown[]>;
  /** How long an async job (an import, an export) takes to reach DONE, in ms. Default 300. */
  jobDelayMs?: number;
}

export const DEFAULT_JOB_DELAY_MS = 300;

/** The stateful sandbox's admin route, outside every spec's paths: `POST` empties the store. */
export const SANDBOX_RESET_PATH = "/__sandbox/reset";
