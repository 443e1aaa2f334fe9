/**
 * An HTTP reverse proxy in front of a real plain-HTTP peer (Nacos) that counts and records
 * every request it forwards, for "nothing reached the backend" checks.
 *
 * fault-proxy.ts counts TCP connections, which is not enough for a client that keeps its
 * connections alive (the console's Nacos client does): a request sent over a connection an
 * earlier, allowed call opened would not show there. This proxy counts requests, so it sees
 * those too. Chain it in front of a fault proxy to keep both counts and the fault modes.
 * Plain HTTP only; for a TLS peer use fault-proxy.ts with a client that opens fresh
 * connections per use (lib/k8s/client.ts closes its agent after each client).
 */
import http from "node:http";
import type net from "node:net";

export interface CountingProxy {
  /** Base URL of the proxy: `http://127.0.0.1:<port>`, plus `path` when given. */
  url(path?: string): string;
  /** Requests forwarded so far. */
  readonly requests: number;
  /** "METHOD /path?query" of every request since the `requests` count `mark`. */
  since(mark: number): string[];
  close(): Promise<void>;
}

export async function startCountingProxy(target: { host: string; port: number }): Promise<CountingProxy> {
  const seen: string[] = [];
  const agent = new http.Agent({ keepAlive: true });
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const upstream = http.request({ host: target.host, port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: (path = "") => `http://127.0.0.1:${port}${path}`,
    get requests() {
      return seen.length;
    },
    since: (mark) => seen.slice(mark),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
