/**
 * Connection facts of the real peers started by scripts/stack (written to .stack/*.env).
 * A test that needs a peer asks for it here; a missing peer fails the test loudly with the
 * peer's name, never a silent skip.
 */
import fs from "node:fs";
import path from "node:path";

export const STACK_DIR = process.env.SWITCHYARD_STACK_DIR ?? path.resolve(__dirname, "../../.stack");

export type Peer = "postgres" | "ldap" | "zookeeper" | "nacos" | "k8s" | "chromium" | "haproxy" | "prometheus";

export function loadStackEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(STACK_DIR)) return out;
  for (const f of fs.readdirSync(STACK_DIR)) {
    if (!f.endsWith(".env")) continue;
    for (const line of fs.readFileSync(path.join(STACK_DIR, f), "utf8").split("\n")) {
      const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (m) out[m[1]!] = m[2]!;
    }
  }
  return out;
}

/** The value of a SWITCHYARD_TEST_* key; throws naming the peer when the stack lacks it. */
export function peerEnv(peer: Peer, key: string): string {
  const full = key.startsWith("SWITCHYARD_TEST_") ? key : `SWITCHYARD_TEST_${key}`;
  const v = process.env[full] ?? loadStackEnv()[full];
  if (!v) {
    throw new Error(
      `peer ${peer} is not running: ${full} is not set. Start it with \`bash scripts/stack/up.sh ${peer}\` (npm test does this).`,
    );
  }
  return v;
}
