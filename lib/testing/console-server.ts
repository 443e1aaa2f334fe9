/**
 * Starts the built console the way operators run it — `node scripts/server.mts`, the custom
 * server that derives client addresses — on a free loopback port, for HTTP-level tests.
 * Needs `npm run build` first (npm test does). The caller gives the environment (database,
 * secrets, LDAP); stop() ends the process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

export interface ConsoleServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
  /** Sends a signal (SIGKILL for a crash); `exited` settles with the exit code. */
  kill(signal: NodeJS.Signals): void;
  exited: Promise<number | null>;
}

/** A fresh secret of production quality for a test server. */
export function testSecret(): string {
  return randomBytes(48).toString("base64");
}

export async function startConsole(env: Record<string, string | undefined>): Promise<ConsoleServer> {
  if (!fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("the console is not built: run `npm run build` first (npm test does)");
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, "scripts", "server.mts")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: "0",
      HOSTNAME: "127.0.0.1",
      SWITCHYARD_LOG_LEVEL: "warn",
      // The integration run's response recording (lib/testing/api-responses.ts); ignored in production mode.
      SWITCHYARD_API_RECORD: process.env.SWITCHYARD_API_RECORD,
      ...env,
    } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`console did not start within 60 s:\n${output.slice(-4000)}`));
    }, 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /"msg":"console listening","url":"(http:\/\/[^"]+)"/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`console exited with ${code} before listening:\n${output.slice(-4000)}`));
    });
  });
  // Ready means answering: the health route opens the database.
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
  return {
    url,
    output: () => output,
    kill: (signal) => void child.kill(signal),
    exited,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      }),
  };
}
