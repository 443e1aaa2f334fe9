/**
 * The offline release (issue #17 item 2): `scripts/release.sh` packs the current build into one
 * tarball; it is unpacked into a fresh directory and started inside a network namespace that
 * has nothing but loopback (`unshare -n`), so nothing can be downloaded at run time. In the same
 * namespace an empty PostgreSQL is started from the machine's Debian binaries (the stack's
 * PostgreSQL on the host's loopback is not reachable from there): the release migrates it as the
 * owner role (`bin/switchyard migrate`, as the Helm chart's Job), then serves the console as the
 * app role with its own Node 24, and a sign-in works.
 *
 * Figures printed: tarball size, files, time to start, migrations applied.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..");
const PG_BIN = "/usr/lib/postgresql/15/bin";
const work = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-release-"));
const ADMIN_PASSWORD = `admin-${randomBytes(9).toString("base64url")}`;

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Runs inside the namespace: loopback up, proof of no network, PostgreSQL, the release, a sign-in. */
const INSIDE = String.raw`
set -euo pipefail
R="$1"; W="$2"
ip link set lo up
if (exec 3<>/dev/tcp/1.1.1.1/443) 2>/dev/null; then echo "NETWORK reachable"; exit 1; fi
if (exec 3<>/dev/tcp/127.0.0.1/55432) 2>/dev/null; then echo "HOST POSTGRES reachable"; exit 1; fi
echo "NETWORK loopback only"
mkdir -p "$W/pg"; chown postgres "$W/pg"; chmod 700 "$W/pg"
runuser -u postgres -- "$PG_BIN/initdb" -D "$W/pg/data" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=peer --auth-host=scram-sha-256 --no-sync >"$W/initdb.log" 2>&1
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$W/pg/data" -l "$W/pg/log" -w -t 60 -o "-c listen_addresses=127.0.0.1 -c port=5432 -c unix_socket_directories=$W/pg -c fsync=off" start >/dev/null
runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -h "$W/pg" -U postgres -d postgres <<SQL
CREATE ROLE sy_owner LOGIN PASSWORD '$PG_PW';
CREATE ROLE sy_app LOGIN PASSWORD '$PG_PW';
CREATE DATABASE switchyard OWNER sy_owner;
GRANT CONNECT ON DATABASE switchyard TO sy_app;
SQL
echo "POSTGRES empty database ready"
cd "$R"
# As the Helm chart's migration Job does: migrate as the owner (the first admin account is made
# here too, from SWITCHYARD_ADMIN_PASSWORD), exit.
env -i PATH=/usr/bin:/bin HOME="$W" \
  DATABASE_URL="postgres://sy_app:$PG_PW@127.0.0.1:5432/switchyard" DATABASE_MIGRATION_URL="postgres://sy_owner:$PG_PW@127.0.0.1:5432/switchyard" \
  SWITCHYARD_SECRET="$SECRET" SWITCHYARD_ENCRYPTION_KEY="$KEY" SWITCHYARD_ADMIN_PASSWORD="$ADMIN_PASSWORD" SWITCHYARD_DATA_DIR="$W/data" \
  ./bin/switchyard migrate >"$W/migrate.log" 2>&1
echo "MIGRATE exit 0"
# Then the console as the app role only.
start=$(date +%s%3N)
env -i PATH=/usr/bin:/bin HOME="$W" PORT=3250 HOSTNAME_BIND=127.0.0.1 NEXTAUTH_URL=http://127.0.0.1:3250 \
  DATABASE_URL="postgres://sy_app:$PG_PW@127.0.0.1:5432/switchyard" \
  SWITCHYARD_SECRET="$SECRET" SWITCHYARD_ENCRYPTION_KEY="$KEY" SWITCHYARD_ADMIN_PASSWORD="$ADMIN_PASSWORD" SWITCHYARD_DATA_DIR="$W/data" \
  ./bin/switchyard >"$W/console.log" 2>&1 &
pid=$!
./bin/node -e '
const url = "http://127.0.0.1:3250";
(async () => {
  for (let i = 0; i < 240; i++) {
    const r = await fetch(url + "/api/ready").catch(() => null);
    if (r && r.status === 200) break;
    await new Promise((s) => setTimeout(s, 250));
  }
  const startedMs = Date.now() - Number(process.argv[1]);
  const ready = await fetch(url + "/api/ready");
  const login = await fetch(url + "/login");
  const html = await login.text();
  const signIn = await fetch(url + "/api/v1/auth/sign-in", { method: "POST", headers: { origin: url, "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: process.env.ADMIN_PASSWORD, source: "local" }) });
  const cookie = (signIn.headers.get("set-cookie") || "").split(";")[0];
  const me = await fetch(url + "/api/v1/me", { headers: { cookie } });
  const meBody = await me.json().catch(() => ({}));
  const script = (html.match(/src="(\/_next\/static\/[^"]+\.js)"/) || [])[1];
  const asset = script ? await fetch(url + script) : null;
  console.log("RESULT " + JSON.stringify({ startedMs, node: process.version, ready: ready.status, login: login.status, loginHasForm: html.includes("password"), asset: asset ? asset.status : null, signIn: signIn.status, me: me.status, username: meBody.username }));
})();
' "$start"
kill -TERM "$pid"; wait "$pid" || true
echo "MIGRATIONS $(runuser -u postgres -- psql -X -At -h "$W/pg" -U postgres -d switchyard -c "SELECT count(*) FROM drizzle.__drizzle_migrations")"
echo "OWNER $(runuser -u postgres -- psql -X -At -h "$W/pg" -U postgres -d switchyard -c "SELECT tableowner FROM pg_tables WHERE tablename = 'audit_chain_head'")"
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$W/pg/data" -m fast -w stop >/dev/null
`;

describe("offline release", () => {
  it("unpacks into a fresh directory and, with no network but loopback, migrates an empty PostgreSQL, serves and signs in", { timeout: 600_000 }, async () => {
    const dist = path.join(work, "dist");
    const built = await run("bash", [path.join(ROOT, "scripts/release.sh"), "--skip-build", "--out", dist], { cwd: ROOT, maxBuffer: 1 << 24 });
    const tarball = fs.readdirSync(dist).find((f) => f.endsWith(".tar.gz"));
    expect(tarball, built.stderr + built.stdout).toBeDefined();
    const size = fs.statSync(path.join(dist, tarball!)).size;
    const listing = (await run("tar", ["-tzf", path.join(dist, tarball!)], { maxBuffer: 1 << 26 })).stdout.split("\n").filter(Boolean);
    // Nothing of the local stack, no secrets, no test data.
    expect(listing.filter((f) => /(^|\/)(\.stack|\.data|test-results|\.env[^/]*|secrets\.env)(\/|$)/.test(f))).toEqual([]);

    const fresh = path.join(work, "fresh");
    fs.mkdirSync(fresh);
    await run("tar", ["-xzf", path.join(dist, tarball!), "-C", fresh]);
    const release = path.join(fresh, fs.readdirSync(fresh)[0]!);
    fs.chmodSync(work, 0o755);
    const script = path.join(work, "inside.sh");
    fs.writeFileSync(script, INSIDE);
    const out = await run("unshare", ["-n", "bash", script, release, path.join(work, "ns")], {
      env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", PG_BIN, PG_PW: randomBytes(12).toString("hex"), SECRET: randomBytes(48).toString("base64"), KEY: randomBytes(32).toString("base64"), ADMIN_PASSWORD } as unknown as NodeJS.ProcessEnv,
      maxBuffer: 1 << 24,
    }).catch((e: { stdout?: string; stderr?: string; message: string }) => {
      const tail = (f: string) => (fs.existsSync(path.join(work, "ns", f)) ? `${f}:\n${fs.readFileSync(path.join(work, "ns", f), "utf8").slice(-3000)}` : "");
      const log = `${tail("migrate.log")}\n${tail("console.log")}`;
      throw new Error(`${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}\n${log}`);
    });
    const text = out.stdout;
    expect(text).toContain("NETWORK loopback only");
    expect(text, "bin/switchyard migrate exits 0").toContain("MIGRATE exit 0");
    const result = JSON.parse(/^RESULT (.*)$/m.exec(text)?.[1] ?? "null") as Record<string, unknown> | null;
    const consoleLog = fs.readFileSync(path.join(work, "ns", "console.log"), "utf8");
    expect(result, `${text}\n${consoleLog.slice(-3000)}`).not.toBeNull();
    expect(result).toMatchObject({ ready: 200, login: 200, loginHasForm: true, asset: 200, signIn: 200, me: 200, username: "admin" });
    expect(String(result!.node)).toMatch(/^v24\./);
    const migrations = Number(/^MIGRATIONS (\d+)$/m.exec(text)?.[1]);
    const expected = fs.readdirSync(path.join(ROOT, "db", "migrations")).filter((f) => f.endsWith(".sql")).length;
    expect(migrations).toBe(expected);
    // Migrated by the owner role, not the console's.
    expect(/^OWNER (\S+)$/m.exec(text)?.[1]).toBe("sy_owner");
    console.log(
      `[release] ${tarball}: ${(size / 1e6).toFixed(1)} MB, ${listing.length} entries; unpacked and started under unshare -n (loopback only) with its own Node ${String(result!.node)}: ready after ${String(result!.startedMs)} ms, ${migrations} migrations applied by the owner to an empty PostgreSQL, sign-in 200, /api/v1/me 200`,
    );
  });
});
