/**
 * `node bench/lib/json-server.ts <port>`: a minimal HTTP server on 127.0.0.1 that answers
 * every request with the same small JSON, so that in the end-to-end client figure the
 * server costs next to nothing and the difference between the callers shows.
 */
import { createServer } from "node:http";
import { fixedAnswer as body } from "./requests.ts";

const port = Number(process.argv[2]);
if (!Number.isInteger(port)) throw new Error("usage: json-server.ts <port>");
const server = createServer((request, response) => {
  // Drain the request so keep-alive connections are reused.
  request.resume();
  response.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  response.end(body);
});
server.listen(port, "127.0.0.1");
process.once("SIGTERM", () => server.close(() => process.exit(0)));
