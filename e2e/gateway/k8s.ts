/**
 * What the stack's Kubernetes API server itself holds (never through the console): reads of
 * gateway objects with the stack's client certificate, for checks after a change in the UI.
 */
import fs from "node:fs";
import https from "node:https";
import { loadStackEnv } from "../../lib/testing/peers";

export function k8sConnection() {
  const env = loadStackEnv();
  const url = env.SWITCHYARD_TEST_K8S_URL;
  if (!url) throw new Error("peer k8s is not running: no .stack/k8s.env (start it with `bash scripts/stack/up.sh k8s`)");
  return { url, ca: fs.readFileSync(env.SWITCHYARD_TEST_K8S_CA!, "utf8"), cert: fs.readFileSync(env.SWITCHYARD_TEST_K8S_CERT!, "utf8"), key: fs.readFileSync(env.SWITCHYARD_TEST_K8S_KEY!, "utf8") };
}

export function k8sRequest<T>(method: "GET" | "DELETE", path: string): Promise<{ status: number; body: T }> {
  const c = k8sConnection();
  const u = new URL(c.url);
  return new Promise((resolve, reject) => {
    const req = https.request({ host: u.hostname, port: Number(u.port), method, path, ca: c.ca, cert: c.cert, key: c.key }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString("utf8")));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : null) as T }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The weights of a stored HTTPRoute's first rule, by backend name, as the API server holds them. */
export async function routeWeights(namespace: string, name: string): Promise<Record<string, number>> {
  const r = await k8sRequest<{ spec: { rules: Array<{ backendRefs: Array<{ name: string; weight: number }> }> } }>("GET", `/apis/gateway.networking.k8s.io/v1/namespaces/${namespace}/httproutes/${name}`);
  if (r.status !== 200) throw new Error(`HTTPRoute ${namespace}/${name}: ${r.status}`);
  return Object.fromEntries(r.body.spec.rules[0]!.backendRefs.map((b) => [b.name, b.weight]));
}

export async function deleteNamespaceObjects(namespace: string): Promise<void> {
  for (const plural of ["httproutes", "gateways"]) await k8sRequest("DELETE", `/apis/gateway.networking.k8s.io/v1/namespaces/${namespace}/${plural}`).catch(() => undefined);
  await k8sRequest("DELETE", `/apis/networking.istio.io/v1/namespaces/${namespace}/gateways`).catch(() => undefined);
}
