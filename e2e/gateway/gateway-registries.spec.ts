/**
 * The gateway's McpBridge registries page end to end (issue #15), against the stack's real
 * Kubernetes API server, Nacos and ZooKeeper: a site of two zones — one on Nacos (with a
 * password), one on ZooKeeper — shows each zone's registry; "Add every zone" shows the change as
 * a diff, and once confirmed the API server itself holds both registries beside whatever the
 * bridge held before. No credential appears on the page, in the diff or in the object.
 *
 * The page writes the shared `higress-system/default` McpBridge (Higress watches only that one),
 * so the spec records the bridge first and, at the end, takes out exactly the registries it added
 * — deleting the bridge if it did not exist — leaving other tests' registries alone.
 * Screenshots in English and 简体中文, light and dark.
 */
import https from "node:https";
import { expect, test, type Page } from "@playwright/test";
import { auditRows, chooseEnvironment, deleteEnvironments } from "../fixtures/console-api";
import { screenPath, screensInEveryLook } from "../fixtures/screens";
import { signInAsAdmin } from "../fixtures/sign-in";
import { loadStackEnv } from "../../lib/testing/peers";
import { k8sConnection } from "./k8s";

const run = Date.now().toString(36);
const SITE = `e2e-reg-${run}`;
const NACOS_ENV = `e2e-reg-a-${run}`;
const ZK_ENV = `e2e-reg-b-${run}`;
const ZONE_A = `ra-${run}`;
const ZONE_B = `rb-${run}`;
const REG_A = `sy-${ZONE_A}`;
const REG_B = `sy-${ZONE_B}`;
const BRIDGE = "/apis/networking.higress.io/v1/namespaces/higress-system/mcpbridges/default";

interface Bridge {
  metadata: { resourceVersion: string; name: string; namespace: string };
  spec?: { registries?: Array<Record<string, unknown>> };
}

/** One request to the API server itself, with the stack's client certificate. */
function k8s<T>(method: "GET" | "PUT" | "DELETE", path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const c = k8sConnection();
  const u = new URL(c.url);
  return new Promise((resolve, reject) => {
    const req = https.request({ host: u.hostname, port: Number(u.port), method, path, ca: c.ca, cert: c.cert, key: c.key, headers: body ? { "content-type": "application/json" } : {} }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString("utf8")));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : null) as T }));
    });
    req.on("error", reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

async function bridge(): Promise<Bridge | null> {
  const r = await k8s<Bridge>("GET", BRIDGE);
  if (r.status === 404) return null;
  expect(r.status).toBe(200);
  return r.body;
}

const names = (b: Bridge | null) => (b?.spec?.registries ?? []).map((r) => String(r.name));
let before: Bridge | null | undefined;

/** Takes out the registries this spec added (retrying on a concurrent write); deletes a bridge this spec created and left empty. */
async function restore(): Promise<void> {
  if (before === undefined) return;
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = await bridge();
    if (!now) return;
    const kept = (now.spec?.registries ?? []).filter((r) => r.name !== REG_A && r.name !== REG_B);
    if (before === null && kept.length === 0) {
      const d = await k8s("DELETE", BRIDGE);
      if (d.status === 200 || d.status === 404) return;
      continue;
    }
    if (kept.length === (now.spec?.registries ?? []).length) return;
    const r = await k8s("PUT", BRIDGE, { ...now, spec: { ...(now.spec ?? {}), registries: kept } });
    if (r.status === 200) return;
  }
  throw new Error("could not restore the McpBridge higress-system/default");
}

const origin = (page: Page) => ({ origin: new URL(page.url()).origin });

test.afterAll(async ({ browser }) => {
  await restore();
  await deleteEnvironments(browser, [NACOS_ENV, ZK_ENV]);
});

test("an admin adds every zone's registry to the gateway through the diff; the API server holds them; no credential anywhere", async ({ page }) => {
  test.setTimeout(180_000);
  const stack = loadStackEnv();
  const nacosPassword = stack.SWITCHYARD_TEST_NACOS_PASSWORD!;
  const cluster = k8sConnection();
  before = await bridge();

  await signInAsAdmin(page);
  const kubernetes = { apiUrl: cluster.url, caPem: cluster.ca, auth: "client-certificate", clientCertPem: cluster.cert, clientKeyPem: cluster.key };
  for (const body of [
    { name: NACOS_ENV, labels: { tier: "dev", site: SITE, zone: ZONE_A }, kubernetes, registry: { kind: "nacos", url: stack.SWITCHYARD_TEST_NACOS_URL, username: stack.SWITCHYARD_TEST_NACOS_USERNAME, password: nacosPassword, namespaces: [""] } },
    { name: ZK_ENV, labels: { tier: "dev", site: SITE, zone: ZONE_B }, registry: { kind: "zookeeper", hosts: stack.SWITCHYARD_TEST_ZK_HOSTS, layout: "dubbo", root: "/" } },
  ]) {
    const res = await page.request.post("/api/v1/environments", { headers: origin(page), data: body });
    expect(res.status(), await res.text()).toBe(201);
  }
  await chooseEnvironment(page, NACOS_ENV);
  await page.goto("/gateway/registries");

  // The zones of the site, each with the registry it would add.
  const zones = page.getByTestId("site-zones");
  await expect(zones).toContainText(ZONE_A);
  await expect(zones).toContainText(ZONE_B);
  await expect(zones).toContainText(REG_A);
  await expect(zones).toContainText(REG_B);
  await expect(zones).toContainText(`${NACOS_ENV} · Nacos public`);
  await expect(zones).toContainText(`${ZK_ENV} · ZooKeeper`);

  // Add every zone: the confirmation shows the change as a diff before anything is written.
  await page.getByTestId("add-all-zones").click();
  const dialog = page.getByTestId("confirm-dialog");
  await expect(dialog).toBeVisible();
  const diff = dialog.getByTestId("confirm-diff");
  await expect(diff).toContainText(REG_A);
  await expect(diff).toContainText(REG_B);
  await expect(diff).toContainText("nacos2");
  await expect(diff).toContainText("zookeeper");
  expect(await dialog.innerText()).not.toContain(nacosPassword);
  expect(names(await bridge())).toEqual(names(before)); // nothing written yet
  await page.screenshot({ path: screenPath("gateway-registries-confirm.png"), fullPage: true });
  await dialog.getByTestId("confirm-action").click();
  await expect(page.getByTestId("registries-done")).toBeVisible();

  // What the API server holds: both registries, derived from each zone's registry, after everything that was there.
  const after = await bridge();
  expect(after).not.toBeNull();
  expect(names(after).slice(0, names(before).length)).toEqual(names(before));
  const regs = after!.spec!.registries!;
  const nacosUrl = new URL(stack.SWITCHYARD_TEST_NACOS_URL!);
  expect(regs.find((r) => r.name === REG_A)).toEqual({ name: REG_A, type: "nacos2", domain: nacosUrl.hostname, port: Number(nacosUrl.port), nacosNamespaceId: "public", nacosGroups: ["DEFAULT_GROUP"] });
  const zkFirst = stack.SWITCHYARD_TEST_ZK_HOSTS!.split(",")[0]!.trim();
  expect(regs.find((r) => r.name === REG_B)).toEqual({ name: REG_B, type: "zookeeper", domain: zkFirst.split(":")[0], port: Number(zkFirst.split(":")[1]), zkServicesPath: ["/dubbo"] });
  // No credential in the object: not the Nacos password, no access or secret key, no private key.
  const stored = JSON.stringify(after);
  expect(stored).not.toContain(nacosPassword);
  expect(stored).not.toMatch(/nacosAccessKey|nacosSecretKey|PRIVATE KEY/);

  // The page now lists them as the gateway's registries, and each zone as connected; still no credential.
  const table = page.getByTestId("registries-table");
  await expect(table).toContainText(REG_A);
  await expect(table).toContainText(REG_B);
  await expect(zones.getByText("connected")).toHaveCount(2);
  const shown = await page.content();
  expect(shown).not.toContain(nacosPassword);
  expect(shown).not.toContain("PRIVATE KEY");

  // One audited write of the bridge, as the admin, succeeded.
  const audit = await auditRows(page, { action: "gateway.route.write", environment: NACOS_ENV });
  expect(audit.filter((r) => r.phase === "outcome").map((r) => r.outcome)).toEqual(["succeeded"]);
  expect(JSON.stringify(audit)).not.toContain(nacosPassword);

  await screensInEveryLook(page, "gateway-registries", async () => {
    await expect(page.getByTestId("registries-table")).toContainText(REG_B);
  });

  // Restored: the bridge holds again exactly what it held before this spec (as far as this spec is concerned).
  await restore();
  const restored = await bridge();
  expect(names(restored)).not.toContain(REG_A);
  expect(names(restored)).not.toContain(REG_B);
  if (before === null) expect(restored === null || names(restored).length > 0).toBe(true);
});
