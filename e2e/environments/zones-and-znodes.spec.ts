import { expect, test, type Page } from "@playwright/test";
import { loadStackEnv } from "../../lib/testing/peers";
import { createNacosNamespace, dropNacosNamespace, listNacosNamespaces, nacosInstancesIn, registerNacosInstanceIn } from "../fixtures/nacos-namespaces";
import { expectOneOutcome } from "../fixtures/audit-api";
import { screenPath } from "../fixtures/screens";
import { signInAsAdmin } from "../fixtures/sign-in";

// Each test sets up what it needs: one failing never keeps the others from running.

// Unique per run: nothing here may find a namespace, service or environment of an earlier run.
const run = Date.now().toString(36);

/** Registers an environment through the API; it must be new (exactly 201). */
async function createEnvironment(page: Page, body: Record<string, unknown>) {
  const res = await page.request.post("/api/v1/environments", { headers: { origin: new URL(page.url()).origin }, data: body });
  expect(res.status(), `create ${String(body.name)}: ${await res.text()}`).toBe(201);
}

test.describe("two zones of one site, each its own registry (a Nacos namespace)", () => {
  const nsA = `sy-e2e-${run}-a`;
  const nsB = `sy-e2e-${run}-b`;
  const site = `e2e-${run}`;
  const service = `payments-${run}`;
  const ip = "127.0.0.1";
  const port = 7070;

  test.afterAll(async () => {
    await dropNacosNamespace(nsA, [{ serviceName: service, ip, port }]);
    await dropNacosNamespace(nsB, [{ serviceName: service, ip, port }]);
  });

  test("the service once with both zones, then disabled everywhere from the UI; Nacos says disabled in each namespace", async ({ page }) => {
    const stack = loadStackEnv();
    const nacos = { kind: "nacos", url: stack.SWITCHYARD_TEST_NACOS_URL, username: stack.SWITCHYARD_TEST_NACOS_USERNAME, password: stack.SWITCHYARD_TEST_NACOS_PASSWORD };

    // Clean state: two namespaces Nacos never saw before, the same instance registered in each.
    const existing = await listNacosNamespaces();
    expect(existing).not.toContain(nsA);
    expect(existing).not.toContain(nsB);
    await createNacosNamespace(nsA);
    await createNacosNamespace(nsB);
    await registerNacosInstanceIn(nsA, service, ip, port);
    await registerNacosInstanceIn(nsB, service, ip, port);
    for (const ns of [nsA, nsB]) {
      await expect.poll(async () => (await nacosInstancesIn(ns, service)).map((i) => [i.ip, i.port, i.enabled])).toEqual([[ip, port, true]]);
    }
    // Nothing of this service in the public namespace: each zone must read its own namespace.
    await expect(nacosInstancesIn("", service)).rejects.toThrow(/not found/);

    await signInAsAdmin(page);
    await createEnvironment(page, { name: `zone-a-${run}`, labels: { tier: "prod", site, zone: "a" }, registry: { ...nacos, namespaces: [nsA] } });
    await createEnvironment(page, { name: `zone-b-${run}`, labels: { tier: "prod", site, zone: "b" }, registry: { ...nacos, namespaces: [nsB] } });

    await page.goto("/services/zones");
    await page.getByTestId("site-select").selectOption(site);
    await page.getByTestId("zones-search").fill(service);
    const row = page.getByTestId(`zones-row-${service}`);
    await expect(row).toBeVisible({ timeout: 20_000 });
    await row.click();
    const detail = page.getByTestId("zones-detail");
    await expect(detail).toBeVisible();
    // One row for the instance, one column per zone, each naming its own namespace.
    const instances = page.getByTestId("zones-instances");
    await expect(instances.locator("thead")).toContainText(`Zone a · ${nsA}`);
    await expect(instances.locator("thead")).toContainText(`Zone b · ${nsB}`);
    await expect(instances.locator("tbody tr")).toHaveCount(1);
    await expect(instances.locator("tbody tr")).toContainText(`${ip}:${port}`);
    await page.screenshot({ path: screenPath("zones.png"), fullPage: true });

    await page.getByTestId(`disable-everywhere-${ip}:${port}`).click();
    await expect(page.getByTestId("confirm-dialog")).toBeVisible();
    const diff = page.getByTestId("confirm-diff");
    await expect(diff).toContainText(`Zone a · zone-a-${run} · ${nsA}`);
    await expect(diff).toContainText(`Zone b · zone-b-${run} · ${nsB}`);
    await expect(diff).toContainText(`+   ${ip}:${port} (DEFAULT) enabled: false`);
    // Stopping an address's traffic everywhere is acknowledged before it can be confirmed.
    await expect(page.getByTestId("confirm-action")).toBeDisabled();
    await page.getByTestId("stops-traffic-ack").check();
    await expect(page.getByTestId("confirm-action")).toBeEnabled();
    await page.screenshot({ path: screenPath("zones-confirm.png"), fullPage: true });
    await page.getByTestId("confirm-action").click();
    await expect(page.getByTestId("zones-outcome")).toContainText("Disabled in every zone.");
    await expect(page.getByTestId("zones-outcome-a")).toHaveText(`✓ Zone a · zone-a-${run} · 1 of 1 disabled`);
    await expect(page.getByTestId("zones-outcome-b")).toHaveText(`✓ Zone b · zone-b-${run} · 1 of 1 disabled`);
    await page.screenshot({ path: screenPath("zones-outcome.png"), fullPage: true });

    // Nacos itself, namespace by namespace: the instance is there and disabled in both.
    for (const ns of [nsA, nsB]) {
      await expect.poll(async () => (await nacosInstancesIn(ns, service)).map((i) => [i.ip, i.port, i.enabled]), { message: `instance in ${ns}` }).toEqual([[ip, port, false]]);
    }

    // One audited operation for the site, recorded as succeeded.
    const audited = await expectOneOutcome(page.request, "service.instance.disable_everywhere", `DEFAULT_GROUP@@${service}/${ip}:${port}`);
    expect(audited).toMatchObject({ actorName: "admin", targetKind: "instance" });
  });
});

test("the znode browser shows a ZooKeeper environment's tree to an admin", async ({ page }) => {
  const stack = loadStackEnv();
  const name = `legacy-dubbo-${run}`;
  await signInAsAdmin(page);
  await createEnvironment(page, { name, labels: { tier: "prod", site: `bj-${run}` }, registry: { kind: "zookeeper", hosts: stack.SWITCHYARD_TEST_ZK_HOSTS, layout: "dubbo", root: "/" } });
  await page.goto("/overview");
  await page.getByTestId("environment-switch").selectOption(name);
  await page.goto("/services/znodes");
  await expect(page.getByTestId("znode-children")).toContainText("zookeeper", { timeout: 20_000 });
  await expect(page.getByTestId("znode-stat")).toBeVisible();
  await page.screenshot({ path: screenPath("znodes.png"), fullPage: true });
});

// Issue #11: with a Nacos environment in the header, the znodes page used to switch silently to
// the first ZooKeeper environment. It follows the header, and says why it has nothing to show.
test("the znodes page follows the header's environment, and says why a Nacos one has no znodes", async ({ page }) => {
  const stack = loadStackEnv();
  const zk = `zk-follow-${run}`;
  const nacos = `nacos-follow-${run}`;
  await signInAsAdmin(page);
  await createEnvironment(page, { name: zk, labels: { tier: "dev" }, registry: { kind: "zookeeper", hosts: stack.SWITCHYARD_TEST_ZK_HOSTS, layout: "dubbo", root: "/" } });
  await createEnvironment(page, { name: nacos, labels: { tier: "dev" }, registry: { kind: "nacos", url: stack.SWITCHYARD_TEST_NACOS_URL, username: stack.SWITCHYARD_TEST_NACOS_USERNAME, password: stack.SWITCHYARD_TEST_NACOS_PASSWORD, namespaces: [""] } });
  await page.goto("/overview");
  await page.getByTestId("environment-switch").selectOption(nacos);
  await page.goto("/services/znodes");
  await expect(page.getByTestId("znodes-not-zookeeper")).toContainText(`The environment chosen in the header, ${nacos}, has Nacos as its registry`);
  await expect(page.getByTestId("znode-browser")).toHaveCount(0);
  await page.getByTestId("environment-switch").selectOption(zk);
  await page.goto("/services/znodes");
  await expect(page.getByRole("heading", { level: 1 })).toContainText(zk);
  await expect(page.getByTestId("znode-children")).toContainText("zookeeper", { timeout: 20_000 });
  for (const name of [zk, nacos]) {
    const got = await page.request.get(`/api/v1/environments/${name}`);
    const { version } = (await got.json()) as { version: number };
    await page.request.delete(`/api/v1/environments/${name}?expectedVersion=${version}`, { headers: { origin: new URL(page.url()).origin } });
  }
});
