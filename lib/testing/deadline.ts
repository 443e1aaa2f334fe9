/**
 * Which timer ended a call — proved without measuring time, so the answer does not depend on
 * the machine's speed (issue #9: no wall-clock assertions).
 *
 * The global `setTimeout`/`clearTimeout` are faked for the duration; sockets, TLS and the
 * peers stay real (Node's own network timers are not the global ones). The call is started,
 * and once it has armed a timer of `ms` the fake clock is moved to one millisecond before
 * it: the call must still be pending. Then one more millisecond: it must now settle. So the
 * deadline is exactly `ms` — not earlier (a unit mix-up), not later (another or no timeout).
 *
 * For clients whose deadline is a global `setTimeout` (lib/k8s/client.ts, lib/zookeeper,
 * ldapts). Not for `AbortSignal.timeout` (lib/nacos/client.ts), which fake timers cannot reach.
 */
import { vi } from "vitest";

/** Real event-loop turns (setImmediate is not faked): lets socket events and promise chains run. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
}

/** Turns to wait for something that real I/O must bring; a guard, not a measurement. */
const MAX_TURNS = 100_000;
/** Turns given to a call to settle after its clock moved (promise chains, 'error' on nextTick). */
const SETTLE_TURNS = 50;

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs `call` under a fake clock; asserts it is still pending at `ms - 1` and settled at
 * `ms`, counted from the moment the call armed a timer of `ms`; returns how it settled.
 */
export async function settlesExactlyAt<T>(ms: number, call: () => Promise<T>): Promise<Settled<T>> {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  const fakeSetTimeout = globalThis.setTimeout;
  const armedDelays: number[] = [];
  // Clients call the global setTimeout by name at call time, so this sees every timer they arm.
  globalThis.setTimeout = ((fn: (...a: unknown[]) => void, delay?: number, ...args: unknown[]) => {
    armedDelays.push(Number(delay));
    return fakeSetTimeout(fn, delay, ...args);
  }) as typeof setTimeout;
  try {
    let outcome: Settled<T> | undefined;
    void call().then(
      (value) => (outcome = { ok: true, value }),
      (error: unknown) => (outcome = { ok: false, error }),
    );
    for (let i = 0; !armedDelays.includes(ms); i++) {
      if (outcome) throw new Error(`deadline: settled before arming a ${ms} ms timer (armed: ${armedDelays.join(", ") || "none"}): ${describe(outcome)}`);
      if (i > MAX_TURNS) throw new Error(`deadline: the call never armed a ${ms} ms timer (armed: ${armedDelays.join(", ") || "none"})`);
      await turns(1);
    }
    await vi.advanceTimersByTimeAsync(ms - 1);
    await turns(SETTLE_TURNS);
    if (outcome) throw new Error(`deadline: settled before ${ms} ms on the call's clock: ${describe(outcome)}`);
    await vi.advanceTimersByTimeAsync(1);
    for (let i = 0; !outcome; i++) {
      if (i > MAX_TURNS) throw new Error(`deadline: still pending at ${ms} ms on the call's clock`);
      await turns(1);
    }
    return outcome;
  } finally {
    globalThis.setTimeout = fakeSetTimeout;
    vi.useRealTimers();
  }
}

function describe(o: Settled<unknown>): string {
  return o.ok ? `resolved ${JSON.stringify(o.value)}` : `rejected ${o.error instanceof Error ? o.error.message : String(o.error)}`;
}
