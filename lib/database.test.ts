/**
 * Regression: Next.js loads route handlers, server components and instrumentation as
 * separate module graphs. With a module-level handle each graph opened its own PGlite on the
 * same data directory, and a session created by the sign-in route was invisible to the page
 * that followed (second sign-in bounced back to /login). The handle must be per process.
 */
import { describe, expect, it, vi } from "vitest";

describe("database handle", () => {
  it("is shared by every module instance in the process", async () => {
    const a = await import("@/lib/database");
    const fake = { db: {} as never, kind: "pglite" as const, close: async () => undefined };
    a.setProcessDatabase(fake);
    vi.resetModules();
    const b = await import("@/lib/database");
    expect(b).not.toBe(a);
    expect(await b.databaseHandle()).toBe(fake);
  });
});
