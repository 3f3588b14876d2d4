/** What starting a mock returns, kept apart from serve.ts so the published types need none of Prism's. */
/** A mock or proxy that is listening. `await using` closes it when the scope ends. */
export interface RunningMock {
  /** The API's short name from redocly.yaml, e.g. `voucherify`. */
  name: string;
  /** Its human title, e.g. `Voucherify`. */
  title: string;
  /** Base URL to send requests to, e.g. `http://127.0.0.1:4011`. */
  url: string;
  /** The port actually bound (useful after asking for port 0). */
  port: number;
  /**
   * A stateful mock only (`stateful`): empties its store and loads its fixtures again, as
   * `POST /__sandbox/reset` does. Jobs not yet DONE are dropped.
   */
  reset?(): Promise<void>;
  /**
   * Serves the spec at `specPath` (default: the one it started with) from now on, on the same
   * port and without dropping connections. If the new spec cannot be loaded, this rejects and
   * the mock keeps serving the previous one.
   */
  reload(specPath?: string): Promise<void>;
  /** Stops listening and drops open connections. Safe to call more than once. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The port was taken; `envVar` is the variable that moves this API's mock elsewhere. */
export class PortInUseError extends Error {
  readonly port: number;
  readonly envVar: string;

  constructor(port: number, envVar: string) {
    super(`port ${port} is in use (set ${envVar} to another port)`);
    this.name = "PortInUseError";
    this.port = port;
    this.envVar = envVar;
  }
}
