/**
 * The console's HTTP server: Next.js behind a thin Node server that is the one place the TCP
 * peer is visible. Every request gets the client address derived from the peer (and, only
 * through SWITCHYARD_TRUSTED_PROXIES, from X-Forwarded-For) in a header that clients cannot
 * forge: any copy they send is dropped, and ours carries a per-process proof the app checks
 * (docs/security.md §33). Run by scripts/run.sh: `node scripts/server.mts
 * [--dev]` with PORT and HOSTNAME from the environment.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
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
import { inFlight, isDraining, startDraining, trackRequest } from "../lib/metrics/lifecycle.ts";
import { exposition, metrics } from "../lib/metrics/registry.ts";

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");
// `--migrate-only` (the Helm chart's migration Job): start-up migrates as DATABASE_MIGRATION_URL;
// exit 0 once /api/ready says the database is ready, 1 otherwise. Serves nothing.
const migrateOnly = process.argv.includes("--migrate-only");
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

// The registry is made here, before Next.js loads the app: the bundled code then finds it.
metrics().setInFlight(inFlight);
// In the offline release (scripts/release.sh) there is no next.config.ts: the configuration the
// build resolved is in .next/required-server-files.json, handed to Next.js as its standalone
// server.js does.
const requiredServerFiles = path.join(dir, ".next", "required-server-files.json");
if (!dev && !fs.existsSync(path.join(dir, "next.config.ts")) && fs.existsSync(requiredServerFiles)) {
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(JSON.parse(fs.readFileSync(requiredServerFiles, "utf8")).config);
}
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
  trackRequest((done) => res.once("close", done));
  // While draining, each keep-alive connection ends after its current response.
  if (isDraining()) res.setHeader("connection", "close");
  void handle(req, res);
});
if (dev) {
  const upgrade = app.getUpgradeHandler();
  server.on("upgrade", (req, socket, head) => void upgrade(req, socket, head));
}
server.headersTimeout = 20_000;
server.requestTimeout = 120_000;
server.listen(migrateOnly ? 0 : port, migrateOnly ? "127.0.0.1" : hostname, () => {
  const address = server.address();
  if (migrateOnly) {
    const bound = typeof address === "object" && address ? address.port : 0;
    void fetch(`http://127.0.0.1:${bound}/api/ready`).then(
      async (r) => {
        console.log(JSON.stringify({ level: r.ok ? "info" : "error", msg: r.ok ? "migrated: database ready" : "database not ready after migration", ready: await r.json().catch(() => null) }));
        process.exit(r.ok ? 0 : 1);
      },
      () => process.exit(1),
    );
    return;
  }
  const bound = typeof address === "object" && address ? address.port : port;
  console.log(JSON.stringify({ level: "info", msg: "console listening", url: `http://${hostname}:${bound}`, trustedProxies: proxies.length }));
});
// Graceful shutdown (docs/operations.md): on SIGTERM /api/ready turns 503 at once and the server
// keeps serving for SWITCHYARD_SHUTDOWN_DELAY_SECONDS, so the load balancer or Kubernetes takes
// this replica out of rotation; then it stops accepting, lets in-flight requests finish and
// exits — at the latest after SWITCHYARD_SHUTDOWN_TIMEOUT_SECONDS. SIGINT skips the delay.
const seconds = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
};
let stopping = false;
// Prometheus metrics on their own port, off unless SWITCHYARD_METRICS_PORT is set; with
// SWITCHYARD_METRICS_TOKEN every scrape must carry it as a bearer token (docs/security.md §44).
// Never served on the console's own port.
let metricsServer: http.Server | undefined;
if (process.env.SWITCHYARD_METRICS_PORT) {
  const token = Buffer.from(process.env.SWITCHYARD_METRICS_TOKEN ?? "");
  const authorized = (header: string | undefined) => {
    const given = Buffer.from(header?.startsWith("Bearer ") ? header.slice(7) : "");
    return given.length === token.length && timingSafeEqual(given, token);
  };
  metricsServer = http.createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") return void res.writeHead(404).end();
    if (token.length > 0 && !authorized(req.headers.authorization)) {
      return void res.writeHead(401, { "www-authenticate": 'Bearer realm="metrics"' }).end();
    }
    exposition().then(
      ({ body, contentType }) => res.writeHead(200, { "content-type": contentType, "cache-control": "no-store" }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  const bind = process.env.SWITCHYARD_METRICS_BIND ?? hostname;
  metricsServer.listen(Number(process.env.SWITCHYARD_METRICS_PORT), bind, () => {
    const a = metricsServer!.address();
    const p = typeof a === "object" && a ? a.port : process.env.SWITCHYARD_METRICS_PORT;
    console.log(JSON.stringify({ level: "info", msg: "metrics listening", url: `http://${bind}:${p}/metrics`, token: token.length > 0 }));
  });
}
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    startDraining();
    const delay = signal === "SIGTERM" ? seconds("SWITCHYARD_SHUTDOWN_DELAY_SECONDS", 5) : 0;
    console.log(JSON.stringify({ level: "info", msg: "draining", signal, delaySeconds: delay }));
    setTimeout(() => process.exit(0), (delay + seconds("SWITCHYARD_SHUTDOWN_TIMEOUT_SECONDS", 30)) * 1000).unref();
    setTimeout(() => {
      metricsServer?.close();
      server.close(() => {
        console.log(JSON.stringify({ level: "info", msg: "stopped: every request finished" }));
        process.exit(0);
      });
      server.closeIdleConnections();
    }, delay * 1000).unref();
  });
}
