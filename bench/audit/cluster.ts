/**
 * A throw-away PostgreSQL cluster for bench/audit, with production durability settings
 * (fsync, synchronous_commit, full_page_writes on): the same binaries scripts/stack/postgres.sh
 * uses (its PG_BIN), a temporary data directory, a free 127.0.0.1 port, scram-sha-256 over TCP
 * and peer on its private unix socket. It gets the roles and template the stack's cluster has
 * (switchyard_owner, switchyard_app, switchyard_template), so lib/testing/db.ts freshPostgres()
 * works on it once `env()` is put into process.env. stop() stops it and removes the directory.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";

const ROOT = path.resolve(__dirname, "../..");

export interface BenchCluster {
  binDir: string;
  dataDir: string;
  port: number;
  /** SWITCHYARD_TEST_PG_* for lib/testing/db.ts. */
  env: Record<string, string>;
  superuserUrl: string;
  log(): string;
  stop(): Promise<void>;
}

/** PG_BIN of scripts/stack/postgres.sh: the binaries the test stack's cluster runs. */
export function stackPgBin(): string {
  const script = fs.readFileSync(path.join(ROOT, "scripts/stack/postgres.sh"), "utf8");
  const m = /^PG_BIN=(\S+)$/m.exec(script);
  if (!m) throw new Error("scripts/stack/postgres.sh has no PG_BIN= line");
  const bin = m[1]!.replace(/^["']|["']$/g, "");
  if (!fs.existsSync(path.join(bin, "initdb"))) throw new Error(`${bin}/initdb missing (PG_BIN of scripts/stack/postgres.sh): run scripts/stack/postgres.sh install`);
  return bin;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ClusterOptions {
  /** Parent of the temporary directory (default: the OS temp dir); must be on real storage for fsync to mean anything. */
  parent?: string;
  /** Extra postgresql.conf lines. */
  extraConf?: string[];
}

export async function startBenchCluster(opts: ClusterOptions = {}): Promise<BenchCluster> {
  const binDir = stackPgBin();
  const root = fs.mkdtempSync(path.join(opts.parent ?? os.tmpdir(), "sy-bench-audit-pg-"));
  const dataDir = path.join(root, "data");
  const runDir = path.join(root, "run");
  const logFile = path.join(root, "postgres.log");
  const pwFile = path.join(root, "pw");
  const asRoot = process.getuid?.() === 0;
  // initdb and postgres refuse to run as root: as scripts/stack/postgres.sh, run them as `postgres`.
  const run = (cmd: string, args: string[]) => execFileSync(asRoot ? "runuser" : cmd, asRoot ? ["-u", "postgres", "--", cmd, ...args] : args, { stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
  const password = randomBytes(18).toString("hex");
  const appPassword = randomBytes(18).toString("hex");
  const ownerPassword = randomBytes(18).toString("hex");
  fs.mkdirSync(runDir, { mode: 0o700 });
  fs.writeFileSync(pwFile, password + "\n", { mode: 0o600 });
  fs.writeFileSync(logFile, "");
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    for (const p of [root, runDir, pwFile, logFile]) fs.chownSync(p, uid, gid);
  }
  const port = await freePort();
  let started = false;
  const stop = async () => {
    if (started) {
      try {
        run(path.join(binDir, "pg_ctl"), ["-D", dataDir, "-m", "fast", "-w", "-t", "60", "stop"]);
      } catch {
        const pid = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
        if (pid) process.kill(pid, "SIGQUIT");
      }
      started = false;
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    run(path.join(binDir, "initdb"), ["-D", dataDir, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--auth-local=peer", "--auth-host=scram-sha-256", `--pwfile=${pwFile}`, "--no-sync"]);
    fs.rmSync(pwFile);
    const conf = [
      "",
      "# --- bench/audit/cluster.ts: production durability ---",
      "listen_addresses = '127.0.0.1'",
      `port = ${port}`,
      `unix_socket_directories = '${runDir}'`,
      "unix_socket_permissions = 0700",
      "password_encryption = 'scram-sha-256'",
      "max_connections = 100",
      "fsync = on",
      "synchronous_commit = on",
      "full_page_writes = on",
      "logging_collector = off",
      "log_min_messages = warning",
      "timezone = 'UTC'",
      ...(opts.extraConf ?? []),
      "",
    ];
    fs.appendFileSync(path.join(dataDir, "postgresql.conf"), conf.join("\n"));
    fs.writeFileSync(path.join(dataDir, "pg_hba.conf"), "local all postgres peer\nhost all all 127.0.0.1/32 scram-sha-256\n");
    run(path.join(binDir, "pg_ctl"), ["-D", dataDir, "-l", logFile, "-w", "-t", "60", "start"]);
    started = true;

    const superuserUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
    const c = new Client({ connectionString: superuserUrl });
    await c.connect();
    try {
      // The stack's roles (scripts/stack/postgres.sh), the superuser standing in for switchyard_admin.
      await c.query(`CREATE ROLE switchyard_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '${appPassword}'`);
      await c.query(`CREATE ROLE switchyard_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '${ownerPassword}'`);
      await c.query("CREATE DATABASE switchyard_template");
      await c.query("GRANT CONNECT, TEMP ON DATABASE switchyard_template TO switchyard_app");
      await c.query("GRANT CONNECT ON DATABASE switchyard_template TO switchyard_owner");
      await c.query("ALTER DATABASE switchyard_template WITH IS_TEMPLATE true");
    } finally {
      await c.end();
    }
    const url = (user: string, pw: string) => `postgres://${user}:${pw}@127.0.0.1:${port}/switchyard_template`;
    return {
      binDir,
      dataDir,
      port,
      superuserUrl,
      env: {
        SWITCHYARD_TEST_PG_URL: url("switchyard_app", appPassword),
        SWITCHYARD_TEST_PG_ADMIN_URL: url("postgres", password),
        SWITCHYARD_TEST_PG_MIGRATION_URL: url("switchyard_owner", ownerPassword),
        SWITCHYARD_TEST_PG_TEMPLATE: "switchyard_template",
      },
      log: () => fs.readFileSync(logFile, "utf8"),
      stop,
    };
  } catch (e) {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").slice(-2000) : "";
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? "";
    await stop();
    throw new Error(`throw-away PostgreSQL cluster did not start: ${(e as Error).message}\n${stderr}\n${log}`);
  }
}

/** The filesystem type under a path (fsync means nothing on tmpfs). */
export function filesystemOf(p: string): string {
  try {
    return execFileSync("df", ["-T", "-P", p]).toString().trim().split("\n")[1]!.split(/\s+/)[1]!;
  } catch {
    return "unknown";
  }
}
