import { sleep } from "@commerce-api/runtime";
import { WaitTimeoutError } from "./errors.ts";

export interface WaitOptions {
  /** Give up (with a WaitTimeoutError) after this long. Default 10 minutes. */
  timeoutMs?: number;
  /** The first pause between two checks; each pause is 1.5 times longer, up to 10 s. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Stops waiting, rejecting with the signal's reason. */
  signal?: AbortSignal;
}

export const DEFAULT_WAIT_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_POLL_INTERVAL_MS = 1000;
const MAX_POLL_INTERVAL_MS = 10_000;

/**
 * Calls `check` until it returns a result, pausing longer each time (a short job is
 * noticed quickly, a long one is not hammered). `check` returns undefined while the job
 * is pending and throws when it failed. One last check is made at the deadline.
 */
export async function pollUntilDone<Result>(
  what: string,
  id: string,
  check: () => Promise<{ status: string; result?: Result }>,
  options: WaitOptions = {},
): Promise<Result> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  for (;;) {
    options.signal?.throwIfAborted();
    const { status, result } = await check();
    if (result !== undefined) return result;
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new WaitTimeoutError(what, id, status, timeoutMs);
    await sleep(Math.min(interval, remaining), options.signal);
    interval = Math.min(interval * 1.5, MAX_POLL_INTERVAL_MS);
  }
}
