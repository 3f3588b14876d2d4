import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMock, startMock } from "../src/index.ts";

const credentials = "X-App-Id: app\r\nX-App-Token: token\r\n";
const maxBodyBytes = 64 * 1024;

interface Answer {
  status: number;
  headers: string;
  body: string;
}

/**
 * How long a request may go unanswered before the test calls it a hang. Far above the mock's
 * 300 ms request timeout, which answers every stalled request here: this only tells a hang
 * (Prism never answers some bodies) from a slow answer on a loaded machine, where 1 s was
 * overrun. How fast the mock answers is measured in `pnpm bench`, not here.
 */
const HANG_MS = 15_000;

/**
 * Writes `parts` to a fresh connection as they are (a request's bytes, exactly), and resolves
 * with the first answer, or rejects when none has come within `withinMs`. The client never
 * closes the connection, so a stalled request can only be answered by the server.
 */
function exchange(mock: RunningMock, parts: (string | Buffer)[], withinMs = HANG_MS): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(mock.port, "127.0.0.1");
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${withinMs} ms; received ${JSON.stringify(received.toString())}`));
    }, withinMs);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = received.toString("utf8");
      const [head = "", ...rest] = text.split("\r\n\r\n");
      resolve({ status: Number(head.match(/^HTTP\/1\.1 (\d{3})/)?.[1]), headers: head, body: rest.join("\r\n\r\n") });
    };
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      const text = received.toString("utf8");
      const headEnd = text.indexOf("\r\n\r\n");
      if (headEnd < 0) return;
      const length = Number(text.slice(0, headEnd).match(/content-length: (\d+)/i)?.[1] ?? 0);
      if (received.length >= Buffer.byteLength(text.slice(0, headEnd)) + 4 + length) finish();
    });
    // A connection closed or reset by the server ends the exchange; `status` is NaN if nothing came.
    socket.on("end", finish);
    socket.on("error", finish);
    for (const part of parts) socket.write(part);
  });
}

const post = (headers: string, body: string | Buffer) => [
  `POST /v1/orders HTTP/1.1\r\nHost: mock\r\n${credentials}${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
  body,
];

describe("a mock under hostile requests", () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock("voucherify", { port: 0, limits: { maxBodyBytes, requestTimeoutMs: 300 } });
  });
  afterAll(() => mock.close());

  const battery: [string, number, (string | Buffer)[]][] = [
    ["malformed JSON", 400, post("Content-Type: application/json\r\n", '{"source_id": "WEB-1",}')],
    ["JSON that ends early", 400, post("Content-Type: application/json\r\n", '{"source_id": ')],
    [
      "a JSON body that is not UTF-8",
      400,
      post("Content-Type: application/json\r\n", Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])),
    ],
    ["JSON in another charset", 415, post("Content-Type: application/json; charset=latin1\r\n", "{}")],
    ["a body type the operation does not take", 415, post("Content-Type: text/plain\r\n", "source_id=WEB-1")],
    ["a body without Content-Type", 415, post("", "{}")],
    ["an invalid Content-Type header", 400, post("Content-Type: application/\r\n", "{}")],
    ["a compressed body", 415, post("Content-Type: application/json\r\nContent-Encoding: gzip\r\n", "{}")],
    [
      "a Content-Length over the limit, body never sent",
      413,
      [
        `POST /v1/orders HTTP/1.1\r\nHost: mock\r\n${credentials}Content-Type: application/json\r\nContent-Length: ${maxBodyBytes + 1}\r\n\r\n`,
      ],
    ],
    [
      "a chunked body that grows over the limit",
      413,
      [
        `POST /v1/orders HTTP/1.1\r\nHost: mock\r\n${credentials}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
        `${(maxBodyBytes + 10).toString(16)}\r\n${"[".repeat(maxBodyBytes + 10)}\r\n0\r\n\r\n`,
      ],
    ],
    [
      "a body shorter than its Content-Length, then silence",
      408,
      [
        `POST /v1/orders HTTP/1.1\r\nHost: mock\r\n${credentials}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"source_id"`,
      ],
    ],
    ["headers that never end", 408, [`POST /v1/orders HTTP/1.1\r\nHost: mock\r\n${credentials}`]],
    ["a method the path does not have", 405, [`DELETE /v1/orders HTTP/1.1\r\nHost: mock\r\n${credentials}\r\n`]],
    ["a request line that is not HTTP", 400, ["HELLO\r\n\r\n"]],
    [
      "a broken chunk size",
      400,
      [
        `POST /v1/orders HTTP/1.1\r\nHost: mock\r\n${credentials}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
      ],
    ],
    [
      "both Content-Length and chunked",
      400,
      [
        `POST /v1/orders HTTP/1.1\r\nHost: mock\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
      ],
    ],
    ["headers over 16 KiB", 431, [`GET /v1/orders HTTP/1.1\r\nHost: mock\r\nX-Junk: ${"a".repeat(20_000)}\r\n\r\n`]],
    [
      "a malformed percent-encoding in the path",
      400,
      [`GET /v1/orders/%E0%A4%A HTTP/1.1\r\nHost: mock\r\n${credentials}\r\n`],
    ],
    [
      "JSON nested 10,000 deep",
      400,
      post("Content-Type: application/json\r\n", `${"[".repeat(10_000)}${"]".repeat(10_000)}`),
    ],
    ["a JSON body that is null", 400, post("Content-Type: application/json\r\n", "null")],
  ];

  it.each(battery)("answers %s with %i, never hanging", async (_, status, parts) => {
    const answer = await exchange(mock, parts);
    expect(answer.status, answer.headers).toBe(status);
  });

  it("names the JSON parse error and where it is", async () => {
    const answer = await exchange(mock, post("Content-Type: application/json\r\n", '{\n  "source_id": "WEB-1",\n}'));
    expect(answer.headers).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(answer.body)).toMatchObject({
      status: 400,
      detail: expect.stringMatching(/^the body is not valid JSON at position 26 \(line 3, column 1\): /),
    });
  });

  it("lists the path's methods in Allow when the method is not one of them", async () => {
    const answer = await exchange(mock, [`DELETE /v1/orders HTTP/1.1\r\nHost: mock\r\n${credentials}\r\n`]);
    expect(answer.headers).toMatch(/^allow: GET, POST$/im);
  });

  it("still answers a good request after all of them", async () => {
    const response = await fetch(`${mock.url}/v1/orders`, {
      method: "POST",
      headers: { "X-App-Id": "app", "X-App-Token": "token", "Content-Type": "application/json" },
      body: JSON.stringify({ source_id: "WEB-1", amount: 100 }),
    });
    expect(response.status).toBe(200);
  });
});

describe("a mock's error bodies", () => {
  it("name the request's actual violation when the caller did not pick an example", async () => {
    await using mock = await startMock("voucherify", { port: 0 });
    const response = await fetch(`${mock.url}/v1/orders`, {
      method: "POST",
      headers: { "X-App-Id": "app", "X-App-Token": "token", "Content-Type": "application/json" },
      body: JSON.stringify({ status: "LOST" }),
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.details).toMatch(/status must be equal to one of the allowed values.*\(at request\.body\.status\)/);
    expect(body.details).not.toContain("quantity");
  });
});

describe("a mock's connection cap", () => {
  it("closes connections over the cap as they arrive, and serves again once others close", async () => {
    await using mock = await startMock("voucherify", { port: 0, limits: { maxConnections: 3 } });
    const held = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<ReturnType<typeof connect>>((resolve) => {
            const socket = connect(mock.port, "127.0.0.1", () => resolve(socket));
          }),
      ),
    );
    const refused = await exchange(mock, [`GET /v1/orders HTTP/1.1\r\nHost: mock\r\n${credentials}\r\n`]);
    expect(refused.status, "the fourth connection is closed without an answer").toBeNaN();
    // Each held connection ends; the server's FIN back means it has closed its side too.
    await Promise.all(
      held.map((socket) => {
        socket.end();
        return new Promise((resolve) => socket.once("close", resolve));
      }),
    );
    const answer = await exchange(mock, [`GET /v1/orders HTTP/1.1\r\nHost: mock\r\n${credentials}\r\n`]);
    expect(answer.status).toBe(200);
  });
});

describe("a mock's limits", () => {
  it("refuse a value that is not a positive whole number, naming the limit", async () => {
    await expect(startMock("voucherify", { port: 0, limits: { maxBodyBytes: 0 } })).rejects.toThrow(
      "limits.maxBodyBytes must be a positive whole number, got 0",
    );
  });
});
