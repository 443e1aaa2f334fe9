/**
 * Integration tests run against the stack that `npm test` (scripts/test.sh) brought up.
 * This only loads its connection facts and checks that each peer with facts answers; it
 * never starts or fakes one. A peer with no facts fails the first test that asks for it
 * (peerEnv), naming it; `npm test` itself refuses to run when any peer failed to start.
 */
import net from "node:net";
import { checkRecording, startRecording } from "./api-responses";
import { loadStackEnv } from "./peers";

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.setTimeout(3_000);
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
    s.once("timeout", () => (s.destroy(), resolve(false)));
  });
}

export default async function setup(): Promise<() => Promise<void>> {
  const env = loadStackEnv();
  Object.assign(process.env, env, process.env);
  const checks: Array<[string, string | undefined]> = [
    ["postgres", env.SWITCHYARD_TEST_PG_URL],
    ["ldap", env.SWITCHYARD_TEST_LDAP_URL],
    ["zookeeper", env.SWITCHYARD_TEST_ZK_HOSTS && `tcp://${env.SWITCHYARD_TEST_ZK_HOSTS.split(",")[0]}`],
    ["nacos", env.SWITCHYARD_TEST_NACOS_URL],
    ["k8s", env.SWITCHYARD_TEST_K8S_URL],
  ];
  const down: string[] = [];
  for (const [peer, url] of checks) {
    if (!url) continue;
    const u = new URL(url);
    const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
    if (!(await reachable(u.hostname, port))) down.push(`${peer} (${u.hostname}:${port} refuses connections)`);
  }
  if (down.length) {
    throw new Error(`integration peers not running: ${down.join("; ")}. Run \`bash scripts/stack/up.sh\` first (npm test does).`);
  }
  // Every /api/v1 response of the run is recorded, then validated against the OpenAPI document.
  const recording = startRecording();
  return () => checkRecording(recording);
}
