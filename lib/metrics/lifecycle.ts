/**
 * Process lifecycle shared by the custom server (scripts/server.mts, which runs this file with
 * Node's own type stripping) and the route handlers Next.js bundles separately: the state lives
 * on globalThis under a registered symbol, so both module copies see the same value.
 *
 * Draining starts on SIGTERM: /api/ready answers 503 at once, so a load balancer (HAProxy's
 * health check, a Kubernetes readiness probe) stops sending new requests while the requests in
 * flight finish; only then does the server stop accepting connections.
 *
 * Standalone on purpose (no path aliases, no dependencies).
 */
const KEY = Symbol.for("switchyard.lifecycle");

interface Lifecycle {
  draining: boolean;
  inFlight: number;
}

function state(): Lifecycle {
  const g = globalThis as unknown as Record<symbol, Lifecycle | undefined>;
  return (g[KEY] ??= { draining: false, inFlight: 0 });
}

export function startDraining(): void {
  state().draining = true;
}

export function isDraining(): boolean {
  return state().draining;
}

/** Counts a request from its arrival until its response has been sent. */
export function trackRequest(done: (cb: () => void) => void): void {
  const s = state();
  s.inFlight++;
  done(() => {
    s.inFlight--;
  });
}

export function inFlight(): number {
  return state().inFlight;
}
