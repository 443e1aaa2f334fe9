/**
 * A TCP proxy in front of a real peer, for fault paths (STYLE.md "Tests"): pass traffic
 * through, refuse connections, or hold them silent; and count what reached the backend.
 */
import net from "node:net";

export type FaultMode = "pass" | "refuse" | "blackhole";

export interface FaultProxy {
  port: number;
  url(protocol?: string): string;
  mode: FaultMode;
  /** Connections that were forwarded to the backend. */
  forwarded: number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host: string; port: number }, mode: FaultMode = "pass"): Promise<FaultProxy> {
  const sockets = new Set<net.Socket>();
  const proxy: FaultProxy = {
    port: 0,
    mode,
    forwarded: 0,
    url: (protocol = "http") => `${protocol}://127.0.0.1:${proxy.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => undefined);
    if (proxy.mode === "refuse") {
      client.resetAndDestroy();
      return;
    }
    if (proxy.mode === "blackhole") return; // accept and never answer
    proxy.forwarded++;
    const upstream = net.connect(target);
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.port = (server.address() as net.AddressInfo).port;
  return proxy;
}
