/**
 * docs/security.md §3: the built console refuses to start in production without a usable signing
 * secret — missing, shorter than 32 bytes, or a sample value — and says why.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { peerEnv } from "@/lib/testing/peers";

const ROOT = path.resolve(__dirname, "..");

function boot(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const nextBin = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
    const child = spawn(process.execPath, [nextBin, "start", "-p", "0", "-H", "127.0.0.1"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NEXT_TELEMETRY_DISABLED: "1", ...env } as unknown as NodeJS.ProcessEnv,
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("start-up secret check", () => {
  it("needs a built console", () => {
    expect(fs.existsSync(path.join(ROOT, ".next", "BUILD_ID")), "run `npm run build` first (npm test does)").toBe(true);
  });

  const production = () => ({ NODE_ENV: "production", DATABASE_URL: peerEnv("postgres", "PG_URL") });

  it.each([
    ["missing", undefined, /SWITCHYARD_SECRET is required/],
    ["shorter than 32 bytes", "0123456789abcdef0123456789abcde", /at least 32 bytes/],
    ["Nacos' documented default", "SecretKey012345678901234567890123456789012345678901234567890123456789", /sample value/],
  ])("refuses a %s secret with a non-zero exit", async (_name, secret, message) => {
    const { code, output } = await boot({ ...production(), SWITCHYARD_SECRET: secret });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(output).toMatch(message);
    expect(output).not.toContain(secret ?? "\u0000");
  });
});
