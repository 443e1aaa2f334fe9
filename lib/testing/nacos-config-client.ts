/**
 * A real Nacos application for tests and benchmarks: the official Nacos Java SDK (from the
 * stack's own Nacos install, ~/.cache/switchyard/nacos/<version>/lib) in a JVM of its own,
 * listening to configs over gRPC and reporting the client IP it is given — what Nacos keys beta
 * (gray) delivery and the listener query by. lib/testing/java/ConfigProbe.java, compiled once.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { peerEnv } from "./peers";

export interface ProbeEvent {
  event: "ready" | "listening" | "change" | "content" | "error";
  dataId?: string;
  content?: string;
  md5?: string;
  t?: number;
  message?: string;
}

export interface ConfigProbe {
  ip: string;
  events: ProbeEvent[];
  listen(dataId: string, group: string): Promise<ProbeEvent>;
  get(dataId: string, group: string): Promise<string>;
  /** The next event matching `pred` (already received ones count), within `ms`. */
  next(pred: (e: ProbeEvent) => boolean, ms?: number): Promise<ProbeEvent>;
  stop(): Promise<void>;
}

function nacosLib(): string {
  const cache = process.env.SWITCHYARD_CACHE ?? path.join(os.homedir(), ".cache", "switchyard");
  const root = path.join(cache, "nacos");
  const version = fs.readdirSync(root).find((d) => fs.existsSync(path.join(root, d, "lib")));
  if (!version) throw new Error(`no Nacos install under ${root}: start the stack (scripts/stack/nacos.sh install)`);
  return path.join(root, version, "lib");
}

let compiled: string | undefined;
function classesDir(): string {
  if (compiled) return compiled;
  const out = path.join(os.tmpdir(), `sy-config-probe-${process.pid}`);
  fs.mkdirSync(out, { recursive: true });
  execFileSync("javac", ["-nowarn", "-encoding", "UTF-8", "-cp", `${nacosLib()}/*`, "-d", out, path.join(__dirname, "java", "ConfigProbe.java")], { stdio: "pipe" });
  compiled = out;
  return out;
}

/** Starts an application that Nacos sees at `ip` (a loopback address such as 127.0.0.2). */
export async function startConfigProbe(namespace: string, ip: string): Promise<ConfigProbe> {
  const url = new URL(peerEnv("nacos", "NACOS_URL"));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "sy-probe-home-"));
  const child: ChildProcess = spawn(
    "java",
    [
      "-Xmx128m",
      "-XX:TieredStopAtLevel=1",
      `-Dcom.alibaba.nacos.client.local.ip=${ip}`,
      `-DJM.SNAPSHOT.PATH=${home}`,
      `-DJM.LOG.PATH=${home}`,
      `-Duser.home=${home}`,
      "-cp",
      `${classesDir()}:${nacosLib()}/*`,
      "ConfigProbe",
      `${url.hostname}:${url.port}`,
      url.pathname.replace(/^\//, "") || "nacos",
      namespace,
      peerEnv("nacos", "NACOS_USERNAME"),
      peerEnv("nacos", "NACOS_PASSWORD"),
    ],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  const events: ProbeEvent[] = [];
  const waiters: Array<{ pred: (e: ProbeEvent) => boolean; from: number; resolve: (e: ProbeEvent) => void }> = [];
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  readline.createInterface({ input: child.stdout! }).on("line", (line) => {
    if (!line.startsWith("{")) return;
    const e = JSON.parse(line) as ProbeEvent;
    events.push(e);
    for (const w of [...waiters]) {
      if (w.pred(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  });
  const next = (pred: (e: ProbeEvent) => boolean, ms = 30_000, from = 0): Promise<ProbeEvent> => {
    const seen = events.slice(from).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`config probe at ${ip}: no matching event within ${ms} ms; stderr: ${stderr}`)), ms);
      waiters.push({ pred, from, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  };
  await next((e) => e.event === "ready", 60_000);
  const send = (cmd: string) => child.stdin!.write(cmd + "\n");
  return {
    ip,
    events,
    next: (pred, ms) => next(pred, ms),
    async listen(dataId, group) {
      const from = events.length;
      send(`listen ${dataId} ${group}`);
      return next((e) => (e.event === "listening" || e.event === "error") && (e.dataId === dataId || e.event === "error"), 30_000, from);
    },
    async get(dataId, group) {
      const from = events.length;
      send(`get ${dataId} ${group}`);
      const e = await next((x) => x.event === "content" && x.dataId === dataId, 30_000, from);
      return e.content ?? "";
    },
    async stop() {
      child.stdin!.end();
      await new Promise<void>((r) => {
        const t = setTimeout(() => (child.kill("SIGKILL"), r()), 5_000);
        child.once("exit", () => (clearTimeout(t), r()));
      });
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
