/**
 * The console's HTTP server: Next.js behind a thin Node server that is the one place the TCP
 * peer is visible. Every request gets the client address derived from the peer (and, only
 * through SWITCHYARD_TRUSTED_PROXIES, from X-Forwarded-For) in a header that clients cannot
 * forge: any copy they send is dropped, and ours carries a per-process proof the app checks
 * (docs/security.md §33). Run by scripts/run.sh: `node scripts/server.mts
 * [--dev]` with PORT and HOSTNAME from the environment.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import {
  CLIENT_IP_HEADER,
  CLIENT_IP_PROOF_ENV,
  CLIENT_IP_PROOF_HEADER,
  clientAddress,
  parseTrustedProxies,
} from "../lib/http/peer-address.ts";

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? "0.0.0.0";

let proxies;
try {
  proxies = parseTrustedProxies(process.env.SWITCHYARD_TRUSTED_PROXIES);
} catch (e) {
  console.error(JSON.stringify({ level: "error", msg: "refusing to start", err: (e as Error).message }));
  process.exit(1);
}
const proof = randomBytes(24).toString("base64url");
process.env[CLIENT_IP_PROOF_ENV] = proof;

const app = next({ dev, dir, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  const ip = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], proxies);
  delete req.headers[CLIENT_IP_HEADER];
  delete req.headers[CLIENT_IP_PROOF_HEADER];
  if (ip) {
    req.headers[CLIENT_IP_HEADER] = ip;
    req.headers[CLIENT_IP_PROOF_HEADER] = proof;
  }
  void handle(req, res);
});
if (dev) {
  const upgrade = app.getUpgradeHandler();
  server.on("upgrade", (req, socket, head) => void upgrade(req, socket, head));
}
server.headersTimeout = 20_000;
server.requestTimeout = 120_000;
server.listen(port, hostname, () => {
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  console.log(JSON.stringify({ level: "info", msg: "console listening", url: `http://${hostname}:${bound}`, trustedProxies: proxies.length }));
});
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
