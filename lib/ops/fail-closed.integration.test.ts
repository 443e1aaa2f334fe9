/**
 * Fail closed (docs/security.md §18) with real peers: when the audit intent cannot be written to
 * PostgreSQL, the operation answers 503 and the backend — a real Nacos behind a counting
 * proxy — sees no connection at all.
 */
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/lib/database";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { problemFor } from "@/lib/http/problem";
import { defineOperation } from "@/lib/ops/define-operation";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { startFaultProxy, type FaultProxy } from "@/lib/testing/fault-proxy";
import { peerEnv } from "@/lib/testing/peers";

let pg: PostgresFixture;
let proxy: FaultProxy;
let nacosPath: string;

// A real backend call: Nacos' readiness endpoint, through the counting proxy.
const touchBackend = defineOperation({
  action: "config.publish",
  permission: "config.publish",
  input: z.object({}),
  target: () => ({ kind: "config", name: "fail-closed-probe" }),
  async run() {
    const res = await fetch(`${proxy.url()}${nacosPath}/v3/admin/core/state/readiness`, { signal: AbortSignal.timeout(5_000) });
    return { result: res.status };
  },
});

beforeAll(async () => {
  pg = await freshPostgres("failclosed");
  setProcessDatabase(pg.handle);
  const nacos = new URL(peerEnv("nacos", "NACOS_URL"));
  nacosPath = nacos.pathname.replace(/\/$/, "");
  proxy = await startFaultProxy({ host: nacos.hostname, port: Number(nacos.port) });
});
afterAll(async () => {
  await proxy?.close();
  await pg?.drop();
});

describe("fail closed", () => {
  it("control: with the audit writable, the backend is reached", async () => {
    await expect(touchBackend.execute(actorWithRole("operator"), {}, meta())).resolves.toBe(200);
    expect(proxy.forwarded).toBe(1);
  });

  it("audit table not writable (INSERT revoked) → 503, backend sees no call", async () => {
    const appRole = new URL(pg.appUrl).username;
    await pg.asAdmin((c) => c.query(`REVOKE INSERT ON audit_events FROM ${appRole}`));
    try {
      const error = await touchBackend.execute(actorWithRole("operator"), {}, meta()).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
      const problem = problemFor(error, "req");
      expect(problem.status).toBe(503);
      expect(problem.body.detail).toMatch(/nothing was changed/);
      expect(proxy.forwarded).toBe(1);
    } finally {
      await pg.asAdmin((c) => c.query(`GRANT INSERT ON audit_events TO ${appRole}`));
    }
  });

  it("database read-only → 503, backend sees no call", async () => {
    await pg.asAdmin((c) => c.query(`ALTER DATABASE ${pg.name} SET default_transaction_read_only = on`));
    let ro: DatabaseHandle | undefined;
    try {
      ro = await openDatabase({ url: pg.appUrl });
      setProcessDatabase(ro);
      const error = await touchBackend.execute(actorWithRole("operator"), {}, meta()).catch((e: unknown) => e);
      expect(problemFor(error, "req").status).toBe(503);
      expect(proxy.forwarded).toBe(1);
    } finally {
      await pg.asAdmin(async (c) => {
        await c.query("SET default_transaction_read_only = off");
        await c.query(`ALTER DATABASE ${pg.name} RESET default_transaction_read_only`);
      });
      await ro?.close();
      setProcessDatabase(pg.handle);
    }
  });

  it("database gone → 503, backend sees no call", async () => {
    const dead = await openDatabase({ url: "postgres://nobody:x@127.0.0.1:1/none", statementTimeoutMs: 1_000 });
    setProcessDatabase(dead);
    try {
      const error = await touchBackend.execute(actorWithRole("operator"), {}, meta()).catch((e: unknown) => e);
      expect(problemFor(error, "req").status).toBe(503);
      expect(proxy.forwarded).toBe(1);
    } finally {
      await dead.close().catch(() => undefined);
      setProcessDatabase(pg.handle);
    }
  });
});
