/**
 * A TCP proxy in front of a real peer, for fault paths (STYLE.md "Tests"): pass traffic
 * through, refuse connections, hold them silent, or delay chosen requests (a backend that
 * answers late); and count what reached the backend.
 */
import net from "node:net";

/**
 * `delay`: connections are forwarded, but each chunk a client sends that `delayMatch` accepts
 * (all, when unset) reaches the backend `delayMs` later; later chunks of that connection wait
 * behind it, so order is kept. Decided per chunk, so it applies to kept-alive connections too.
 */
export type FaultMode = "pass" | "refuse" | "blackhole" | "delay";

/** Which client chunks `delay` holds: a pattern or a test on the chunk's start (an HTTP request line). */
export type DelayMatch = RegExp | ((head: string) => boolean);

export interface FaultProxy {
  port: number;
  url(protocol?: string): string;
  mode: FaultMode;
  /** Connections that were forwarded to the backend. */
  forwarded: number;
  /** In `delay` mode: how long a matching chunk is held (default 5 s). */
  delayMs: number;
  /** In `delay` mode: which chunks are held; unset = every chunk. */
  delayMatch: DelayMatch | undefined;
  /** Chunks held so far in `delay` mode. */
  delayed: number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host: string; port: number }, mode: FaultMode = "pass"): Promise<FaultProxy> {
  const sockets = new Set<net.Socket>();
  const proxy: FaultProxy = {
    port: 0,
    mode,
    forwarded: 0,
    delayMs: 5_000,
    delayMatch: undefined,
    delayed: 0,
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
    upstream.pipe(client);
    // Client → backend chunk by chunk, so `delay` can hold some; a chain keeps their order.
    let queue = Promise.resolve();
    const holds = (chunk: Buffer): boolean => {
      if (proxy.mode !== "delay") return false;
      const m = proxy.delayMatch;
      const head = chunk.toString("latin1", 0, Math.min(chunk.length, 256));
      return m === undefined || (typeof m === "function" ? m(head) : m.test(head));
    };
    client.on("data", (chunk: Buffer) => {
      const hold = holds(chunk);
      if (hold) proxy.delayed++;
      queue = queue.then(async () => {
        if (hold) await new Promise((r) => setTimeout(r, proxy.delayMs));
        if (!upstream.destroyed) upstream.write(chunk);
      });
    });
    client.on("end", () => void queue.then(() => upstream.end()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.port = (server.address() as net.AddressInfo).port;
  return proxy;
}
