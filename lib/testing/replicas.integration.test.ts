/**
 * Production mode, as operators run it (issue #17 item 1): NODE_ENV=production, two console
 * replicas on the stack's real PostgreSQL — DATABASE_URL the app role, DATABASE_MIGRATION_URL
 * the owner, both replicas migrating at start — behind a real HAProxy from Debian on loopback
 * (scripts/stack/haproxy.sh), driven from Chromium and from an HTTP load generator.
 *
 * - A session made in Chromium on replica A works on replica B (sessions live in the database,
 *   the cookie is sealed with the shared secret).
 * - Background jobs run once across replicas: intents without an outcome, seen by the
 *   reconciler of both replicas, each get exactly one `unknown` outcome.
 * - SIGKILL of a replica under a steady load of audited writes: every request either completed
 *   (2xx) or got a clear error (a 5xx from the load balancer or a closed connection — never a
 *   hang); every 2xx has exactly one intent and one `succeeded` outcome row under its request
 *   id; no request id has two rows of a phase; writes cut off by the kill are reconciled to
 *   `unknown` by the survivor; the chain verifies; the survivor keeps serving.
 * - SIGTERM of a replica under load: /api/ready turns 503 first while the replica still serves,
 *   HAProxy takes it out of rotation, in-flight requests finish, no request fails, exit code 0.
 *
 * Figures (requests, errors, audit rows before/after, time to recover) are printed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvent } from "@/lib/audit/record";
import { verifyAuditChain } from "@/lib/audit/verify";
import { startConsole, testSecret, type ConsoleServer } from "@/lib/testing/console-server";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { peerEnv } from "@/lib/testing/peers";

const ROOT = path.resolve(__dirname, "../..");
const LB_PORT = Number(process.env.SWITCHYARD_TEST_LB_PORT ?? 3240);
const LB = `http://127.0.0.1:${LB_PORT}`;
const ADMIN_PASSWORD = `admin-${randomBytes(9).toString("base64url")}`;
const RUN = randomUUID().slice(0, 8);
const WORK = path.join(ROOT, ".stack", `replicas-${RUN}`);
const ACTION = "profile.preferences.update";
const CONCURRENCY = 6;

let pg: PostgresFixture;
let env: Record<string, string>;
const replicas: Record<string, ConsoleServer> = {};
let haproxy: ChildProcess | undefined;
let haproxyLog = "";
let cookie = "";
/** Intents the reconciler test wrote without an outcome. */
const orphans = new Set<string>();

function replicaEnv(name: string): Record<string, string> {
  return { ...env, SWITCHYARD_DATA_DIR: path.join(WORK, name) };
}

async function ready(url: string): Promise<number> {
  return fetch(`${url}/api/ready`).then((r) => r.status, () => 0);
}

async function until(what: string, fn: () => Promise<boolean>, seconds = 60): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < seconds * 1000) {
    if (await fn()) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${seconds} s`);
}

function writeHaproxyConfig(): string {
  const cfg = path.join(WORK, "haproxy.cfg");
  const servers = Object.entries(replicas).map(([name, r]) => `  server ${name} ${new URL(r.url).host} check`);
  fs.writeFileSync(
    cfg,
    [
      "global",
      "  maxconn 2000",
      "defaults",
      "  mode http",
      "  timeout connect 2s",
      "  timeout client 60s",
      "  timeout server 60s",
      "  retries 3",
      "  option redispatch",
      "frontend console",
      `  bind 127.0.0.1:${LB_PORT}`,
      "  default_backend replicas",
      "backend replicas",
      "  balance roundrobin",
      "  option forwardfor",
      "  option httpchk GET /api/ready",
      "  http-check expect status 200",
      "  default-server inter 300ms fall 1 rise 2",
      "  http-response set-header x-served-by %s",
      ...servers,
      "",
    ].join("\n"),
  );
  return cfg;
}

async function startHaproxy(): Promise<void> {
  const cfg = writeHaproxyConfig();
  haproxy = spawn(peerEnv("haproxy", "HAPROXY"), ["-db", "-f", cfg], { stdio: ["ignore", "pipe", "pipe"] });
  haproxy.stdout!.on("data", (d: Buffer) => (haproxyLog += d.toString()));
  haproxy.stderr!.on("data", (d: Buffer) => (haproxyLog += d.toString()));
  await until("HAProxy answers through to a replica", async () => fetch(`${LB}/api/health`).then((r) => r.ok, () => false), 20).catch((e: Error) => {
    throw new Error(`${e.message}\n${haproxyLog}`);
  });
}

/** Reloads HAProxy with the current replica list (a new process on the same port). */
async function restartHaproxy(): Promise<void> {
  if (haproxy && haproxy.exitCode === null) {
    const gone = new Promise((r) => haproxy!.once("exit", r));
    haproxy.kill("SIGTERM");
    await gone;
  }
  await startHaproxy();
}

interface Shot {
  /** ms since the load started, when the request was sent */
  at: number;
  /** ms since the load started, when it completed or failed */
  done: number;
  status: number;
  servedBy: string | null;
  requestId: string | null;
  error: string | null;
}

/** A steady load of audited writes (PATCH /api/v1/me/preferences) through the load balancer. */
function startLoad(): { shots: Shot[]; t0: number; stop: () => Promise<void> } {
  const shots: Shot[] = [];
  const t0 = Date.now();
  let running = true;
  let n = 0;
  const worker = async () => {
    while (running) {
      const at = Date.now() - t0;
      const theme = n++ % 2 ? "dark" : "light";
      try {
        const r = await fetch(`${LB}/api/v1/me/preferences`, {
          method: "PATCH",
          headers: { origin: LB, cookie, "content-type": "application/json" },
          body: JSON.stringify({ theme }),
          signal: AbortSignal.timeout(30_000),
        });
        const body = await r.text();
        shots.push({ at, done: Date.now() - t0, status: r.status, servedBy: r.headers.get("x-served-by"), requestId: r.headers.get("x-request-id"), error: r.ok ? null : body.slice(0, 160) });
      } catch (e) {
        const err = e as Error & { cause?: { code?: string; message?: string } };
        shots.push({ at, done: Date.now() - t0, status: 0, servedBy: null, requestId: null, error: `${err.name}: ${err.cause?.code ?? err.cause?.message ?? err.message}` });
      }
    }
  };
  const workers = Array.from({ length: CONCURRENCY }, () => worker());
  return {
    shots,
    t0,
    stop: async () => {
      running = false;
      await Promise.all(workers);
    },
  };
}

/** A request that completed, or failed in a way a client can act on — never a timeout. */
function clear(s: Shot): boolean {
  if (s.status >= 200 && s.status < 300) return s.requestId !== null;
  if (s.status >= 500) return true; // HAProxy's 502/503 page or the console's problem+json
  return s.status === 0 && s.error !== null && !/Timeout|Abort/.test(s.error);
}

interface AuditRow {
  request_id: string;
  phase: "intent" | "outcome";
  outcome: string | null;
  actor_name: string;
}

async function auditRows(): Promise<AuditRow[]> {
  return pg.asAdmin(async (c) => (await c.query<AuditRow>("SELECT request_id, phase, outcome, actor_name FROM audit_events WHERE action = $1 ORDER BY id", [ACTION])).rows);
}

async function auditCount(): Promise<number> {
  return pg.asAdmin(async (c) => Number((await c.query<{ n: string }>("SELECT count(*)::text AS n FROM audit_events")).rows[0]!.n));
}

/** Per request id: how many intent and outcome rows, and the outcomes. */
function byRequest(rows: AuditRow[]): Map<string, { intents: number; outcomes: string[] }> {
  const m = new Map<string, { intents: number; outcomes: string[] }>();
  for (const r of rows) {
    const e = m.get(r.request_id) ?? { intents: 0, outcomes: [] };
    if (r.phase === "intent") e.intents++;
    else e.outcomes.push(r.outcome ?? "?");
    m.set(r.request_id, e);
  }
  return m;
}

function summary(shots: Shot[]): string {
  const ok = shots.filter((s) => s.status >= 200 && s.status < 300).length;
  const errors = new Map<string, number>();
  for (const s of shots) if (!(s.status >= 200 && s.status < 300)) errors.set(s.status ? `HTTP ${s.status}` : s.error!, (errors.get(s.status ? `HTTP ${s.status}` : s.error!) ?? 0) + 1);
  const served = new Map<string, number>();
  for (const s of shots) if (s.servedBy) served.set(s.servedBy, (served.get(s.servedBy) ?? 0) + 1);
  return `${shots.length} requests, ${ok} completed (2xx), ${shots.length - ok} errors ${JSON.stringify(Object.fromEntries(errors))}, served by ${JSON.stringify(Object.fromEntries(served))}`;
}

beforeAll(async () => {
  fs.mkdirSync(WORK, { recursive: true });
  pg = await freshPostgres("replicas");
  env = {
    NODE_ENV: "production",
    DATABASE_URL: pg.appUrl,
    DATABASE_MIGRATION_URL: pg.migrationUrl,
    SWITCHYARD_SECRET: testSecret(),
    SWITCHYARD_ENCRYPTION_KEY: testSecret(),
    SWITCHYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SWITCHYARD_TRUSTED_PROXIES: "127.0.0.1",
    // Both replicas look for intents without an outcome every 3 s; 9 s without one is unknown.
    SWITCHYARD_AUDIT_RECONCILE_MINUTES: "0.05",
    SWITCHYARD_AUDIT_UNKNOWN_AFTER_MINUTES: "0.15",
    SWITCHYARD_SHUTDOWN_DELAY_SECONDS: "2",
    SWITCHYARD_SHUTDOWN_TIMEOUT_SECONDS: "20",
    SWITCHYARD_LOG_LEVEL: "warn",
  };
  // Both start at once: both run the migrations (serialized by the migrator's lock).
  const [a, b] = await Promise.all([startConsole(replicaEnv("a")), startConsole(replicaEnv("b"))]);
  replicas.a = a!;
  replicas.b = b!;
  await until("both replicas ready", async () => (await ready(a!.url)) === 200 && (await ready(b!.url)) === 200);
  await startHaproxy();
  const r = await fetch(`${LB}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { origin: LB, "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD, source: "local" }),
  });
  expect(r.status, await r.clone().text()).toBe(200);
  cookie = (r.headers.get("set-cookie") ?? "").split(";")[0]!;
});

afterAll(async () => {
  if (haproxy && haproxy.exitCode === null) haproxy.kill("SIGTERM");
  await Promise.all(Object.values(replicas).map((r) => r.stop()));
  await pg?.drop();
  fs.rmSync(WORK, { recursive: true, force: true });
});

describe("replicas on PostgreSQL behind HAProxy", () => {
  it("a session made in Chromium on one replica works on the other", async () => {
    const browser = await chromium.launch({
      executablePath: peerEnv("chromium", "CHROMIUM"),
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${replicas.a!.url}/login`);
      await page.waitForSelector('[data-testid="sign-in"]:enabled');
      await page.locator("#username").fill("admin");
      await page.locator("#password").fill(ADMIN_PASSWORD);
      await page.locator("#password").press("Enter");
      await page.waitForURL((u) => !u.pathname.startsWith("/login"));
      // Same host, other port: the browser sends the same cookie to replica B.
      const me = await page.request.get(`${replicas.b!.url}/api/v1/me`);
      expect(me.status(), await me.text()).toBe(200);
      expect(((await me.json()) as { username: string }).username).toBe("admin");
      await page.goto(`${replicas.b!.url}/audit`);
      expect(new URL(page.url()).pathname, "replica B did not send the signed-in user to /login").toBe("/audit");
    } finally {
      await browser.close();
    }
  });

  it("background jobs run once across replicas: each intent without an outcome gets one `unknown` outcome", async () => {
    for (let i = 0; i < 5; i++) orphans.add(randomUUID());
    for (const requestId of orphans) {
      await appendAuditEvent(pg.handle.db, { requestId, phase: "intent", action: ACTION, actor: { id: "replica-test", name: "replica-test", source: "local", roles: [] }, targetKind: "user", targetName: "admin" });
    }
    const waited = await until(
      "both replicas' reconcilers answered the orphan intents",
      async () => {
        const m = byRequest(await auditRows());
        return [...orphans].every((id) => (m.get(id)?.outcomes.length ?? 0) > 0);
      },
      60,
    );
    // Two more rounds of both reconcilers (every 3 s): still exactly one outcome each.
    await new Promise((r) => setTimeout(r, 6_500));
    const m = byRequest(await auditRows());
    for (const id of orphans) expect(m.get(id), id).toEqual({ intents: 1, outcomes: ["unknown"] });
    console.log(`[replicas] reconciler: ${orphans.size} orphan intents → ${orphans.size} unknown outcomes, ${waited} ms after they were written, none twice (two replicas reconciling every 3 s)`);
  });

  it("SIGKILL of a replica under load: no audit row lost or duplicated, the chain verifies, the survivor serves", async () => {
    const rowsBefore = await auditCount();
    const load = startLoad();
    // Both replicas take writes before the kill.
    await until("both replicas served writes", async () => new Set(load.shots.filter((s) => s.status === 200).map((s) => s.servedBy)).size === 2, 30);
    await new Promise((r) => setTimeout(r, 2_000));
    const killedAt = Date.now() - load.t0;
    replicas.b!.kill("SIGKILL");
    await replicas.b!.exited;
    // The survivor keeps serving: 200 more writes after the kill.
    await until("200 writes after the kill", async () => load.shots.filter((s) => s.at > killedAt && s.status === 200).length >= 200, 60);
    await load.stop();
    delete replicas.b;

    const shots = load.shots;
    const unclear = shots.filter((s) => !clear(s));
    expect(unclear, "requests that neither completed nor got a clear error").toEqual([]);
    const failed = shots.filter((s) => !(s.status >= 200 && s.status < 300));
    const lastError = failed.length ? Math.max(...failed.map((s) => s.done)) : killedAt;
    // Errors belong to the kill: nothing fails before it, and the last 100 requests all complete.
    expect(failed.filter((s) => s.done < killedAt), "errors before the kill").toEqual([]);
    expect(shots.slice(-100).filter((s) => s.status !== 200), "errors at the end of the run").toEqual([]);
    expect(shots.filter((s) => s.at > killedAt + 500 && s.servedBy === "b"), "replica B served after it was killed").toEqual([]);

    const okIds = shots.filter((s) => s.status === 200).map((s) => s.requestId!);
    expect(new Set(okIds).size, "request ids are unique").toBe(okIds.length);
    // Writes cut off by the kill: their intents get `unknown` from the survivor's reconciler.
    const reconciledIn = await until(
      "every intent has an outcome",
      async () => [...byRequest(await auditRows()).values()].every((e) => e.outcomes.length > 0),
      60,
    );
    const rows = await auditRows();
    const m = byRequest(rows);
    const lost = okIds.filter((id) => !(m.get(id)?.intents === 1 && m.get(id)?.outcomes.length === 1 && m.get(id)?.outcomes[0] === "succeeded"));
    expect(lost, "2xx requests without exactly one intent and one succeeded outcome").toEqual([]);
    const duplicated = [...m].filter(([, e]) => e.intents !== 1 || e.outcomes.length !== 1);
    expect(duplicated, "request ids with a missing or repeated row").toEqual([]);
    const okSet = new Set(okIds);
    const notOk = [...m].filter(([id]) => !okSet.has(id) && !orphans.has(id));
    const responseLost = notOk.filter(([, e]) => e.outcomes[0] === "succeeded").length;
    const reconciled = notOk.filter(([, e]) => e.outcomes[0] === "unknown").length;
    const chain = await verifyAuditChain(pg.handle.db);
    expect(chain.ok, JSON.stringify(chain.firstBroken)).toBe(true);
    expect(chain.headMismatch).toBe(false);
    const rowsAfter = await auditCount();

    console.log(
      [
        `[replicas] SIGKILL under load (${CONCURRENCY} concurrent writers through HAProxy): ${summary(shots)}`,
        `[replicas] killed at ${killedAt} ms; last error ${lastError - killedAt} ms after the kill (time to recover); writes cut off by the kill and reconciled to unknown: ${reconciled}; committed but the response was lost with the replica: ${responseLost}`,
        `[replicas] audit rows: ${rowsBefore} before, ${rowsAfter} after (+${rowsAfter - rowsBefore}); ${okIds.length} 2xx writes each with one intent and one succeeded outcome; chain verified over ${chain.count} rows; every intent answered ${reconciledIn} ms after the load stopped`,
      ].join("\n"),
    );
  });

  it("SIGTERM: /api/ready turns 503 first, in-flight requests finish, no request fails", async () => {
    // Replica C replaces the killed B; HAProxy is reloaded with A and C.
    replicas.c = await startConsole(replicaEnv("c"));
    await until("replica C ready", async () => (await ready(replicas.c!.url)) === 200);
    await restartHaproxy();
    const load = startLoad();
    await until("both replicas served writes", async () => new Set(load.shots.filter((s) => s.status === 200).map((s) => s.servedBy)).size === 2, 30);
    const termAt = Date.now() - load.t0;
    const a = replicas.a!;
    a.kill("SIGTERM");
    const turned503 = await until("replica A's /api/ready answers 503", async () => (await ready(a.url)) === 503, 5);
    // Draining, it still serves what reaches it.
    expect((await fetch(`${a.url}/api/health`)).status).toBe(200);
    const code = await a.exited;
    const exitedAt = Date.now() - load.t0;
    await until("100 writes after A exited", async () => load.shots.filter((s) => s.at > exitedAt && s.status === 200).length >= 100, 60);
    await load.stop();
    delete replicas.a;
    expect(code, "exit code after SIGTERM").toBe(0);
    const failed = load.shots.filter((s) => s.status !== 200);
    expect(failed, "requests that failed during a graceful shutdown").toEqual([]);
    const byA = load.shots.filter((s) => s.servedBy === "a" && s.at >= termAt).length;
    console.log(
      `[replicas] SIGTERM under load: ${summary(load.shots)}; /api/ready 503 ${turned503} ms after the signal; replica A served ${byA} requests after the signal and exited (code ${code}) ${exitedAt - termAt} ms after it`,
    );
  });
});
