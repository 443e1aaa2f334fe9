/**
 * The services page against the stack's real Nacos: an admin disables, re-enables and edits
 * the metadata of an instance through the confirmation dialog, and Nacos itself (its Open
 * API, not the console) shows each change; when Nacos cannot be reached the page says so,
 * naming the system; a write that cannot reach Nacos is audited as failed and changes nothing.
 * Outages go through lib/testing/fault-proxy.ts in front of the real Nacos, not a mock.
 */
import { expect, test, type Page } from "@playwright/test";
import { startFaultProxy, type FaultProxy } from "../../lib/testing/fault-proxy";
import { auditRows, chooseEnvironment, createEnvironment, deleteEnvironments } from "../fixtures/console-api";
import { deregisterInstance, disableHealthCheck, instance, nacosPeer, registerInstance, type InstanceSpec } from "../fixtures/nacos-api";
import { signInAsAdmin } from "../fixtures/sign-in";
import { ServicesPage } from "../pages/services-page";

const run = Date.now().toString(36);
const toggled: InstanceSpec = { service: `e2e-toggle-${run}`, port: 7301, metadata: { version: "1.0" } };
const guarded: InstanceSpec = { service: `e2e-outage-${run}`, port: 7302 };
const proxies: FaultProxy[] = [];

// A healthy companion for each: disabling one instance never stops the whole service (which
// asks twice), and Nacos' own TCP check is off so "healthy" stays as registered.
const companions: InstanceSpec[] = [
  { service: toggled.service, port: 7311 },
  { service: guarded.service, port: 7312 },
];

test.beforeAll(async () => {
  for (const i of [toggled, guarded, ...companions]) await registerInstance(i);
  await disableHealthCheck(toggled.service);
  await disableHealthCheck(guarded.service);
});

test.afterAll(async ({ browser }) => {
  await deleteEnvironments(browser, [`svc-direct-${run}`, `svc-down-${run}`, `svc-failed-write-${run}`]);
  for (const p of proxies) await p.close();
  for (const i of [toggled, guarded, ...companions]) await deregisterInstance(i).catch(() => undefined);
});

/** A fault proxy (passing traffic) in front of the real Nacos, and the base URL through it. */
async function proxiedNacos(): Promise<{ proxy: FaultProxy; url: string }> {
  const n = nacosPeer();
  const proxy = await startFaultProxy({ host: n.host, port: n.port });
  proxies.push(proxy);
  return { proxy, url: `${proxy.url()}${new URL(n.url).pathname}` };
}

function nacosRegistry(url: string) {
  const n = nacosPeer();
  return { kind: "nacos", url, username: n.username, password: n.password, namespaces: [""] };
}

async function openService(page: Page, environment: string, service: string): Promise<ServicesPage> {
  await chooseEnvironment(page, environment);
  const services = new ServicesPage(page);
  await services.goto();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(environment);
  await services.search(service);
  await expect(services.row(service)).toBeVisible({ timeout: 20_000 });
  await services.open(service);
  return services;
}

/** The service page has its own URL: a reload shows what Nacos has now. */
async function reopen(page: Page, services: ServicesPage, service: string): Promise<void> {
  await page.reload();
  await expect(services.title()).toHaveText(service);
  await expect(services.instances()).toBeVisible();
}

/**
 * Waits until the console itself answers that Nacos is unreachable. "refuse" only turns away
 * new connections, so this polls slower than the console's 4 s idle-socket limit: a kept-alive
 * connection opened before the outage is not reused, and every later call must connect anew.
 */
async function untilConsoleSeesNacosDown(page: Page, path: string): Promise<void> {
  await expect
    .poll(async () => (await page.request.get(path)).status(), { message: `console still reaches Nacos via ${path}`, intervals: [5_000], timeout: 40_000 })
    .toBe(502);
}

test("an admin disables, re-enables and edits an instance's metadata through the confirmation; Nacos itself shows each change, audited", async ({ page }) => {
  test.setTimeout(120_000);
  const env = `svc-direct-${run}`;
  await signInAsAdmin(page);
  await createEnvironment(page, { name: env, labels: { tier: "prod", site: "e2e" }, registry: nacosRegistry(nacosPeer().url) });
  const services = await openService(page, env, toggled.service);
  const row = services.instance(toggled.port);
  await expect(row).toContainText("127.0.0.1:7301");
  await expect(row.locator("td").nth(3)).toHaveText("✓");

  // Disable: the dialog shows the flag flipping, and the confirm button says what it does.
  await row.getByRole("button", { name: "Disable" }).click();
  await expect(services.diff()).toContainText("- enabled: true");
  await expect(services.diff()).toContainText("+ enabled: false");
  await expect(services.confirm()).toHaveText("Disable");
  await page.screenshot({ path: "test-results/screens/services-disable-confirm.png", fullPage: true });
  await services.confirm().click();
  await expect(services.dialog()).toHaveCount(0);
  await expect.poll(async () => (await instance(toggled.service, toggled.port))?.enabled, { message: "Nacos shows the instance disabled" }).toBe(false);
  // STYLE.md: after a change, never a screen that shows the old value. Soft, so the rest of
  // the flow is still exercised; then a reload, which must show what Nacos has.
  await expect.soft(row.locator("td").nth(3), "the open page shows the instance disabled after the change").toHaveText("—");
  await reopen(page, services, toggled.service);
  await expect(row.locator("td").nth(3)).toHaveText("—");

  // Enable again (Nacos applies an update about 0.5 s later; the poll above waited for it).
  await row.getByRole("button", { name: "Enable" }).click();
  await expect(services.diff()).toContainText("+ enabled: true");
  await services.confirm().click();
  await expect(services.dialog()).toHaveCount(0);
  await expect.poll(async () => (await instance(toggled.service, toggled.port))?.enabled, { message: "Nacos shows the instance enabled again" }).toBe(true);
  await expect.soft(row.locator("td").nth(3), "the open page shows the instance enabled after the change").toHaveText("✓");
  await reopen(page, services, toggled.service);
  await expect(row.locator("td").nth(3)).toHaveText("✓");

  // Metadata: the editor starts from what Nacos has; the new key is added, the old one kept.
  await page.getByTestId(`metadata-${toggled.port}`).click();
  await expect(page.getByTestId("metadata-input")).toHaveValue("version=1.0");
  await page.getByTestId("metadata-input").fill("version=1.0\ncanary=true");
  await expect(services.diff()).toContainText("+ canary=true");
  await page.screenshot({ path: "test-results/screens/services-metadata-confirm.png", fullPage: true });
  await services.confirm().click();
  await expect(services.dialog()).toHaveCount(0);
  await expect.poll(async () => (await instance(toggled.service, toggled.port))?.metadata, { message: "Nacos shows the new metadata key" }).toMatchObject({ canary: "true", version: "1.0" });
  const after = await instance(toggled.service, toggled.port);
  expect(after).toMatchObject({ enabled: true, weight: 1 });
  await expect.soft(row, "the open page shows the new metadata after the change").toContainText("canary=true");
  await reopen(page, services, toggled.service);
  await expect(row).toContainText("canary=true");
  await page.screenshot({ path: "test-results/screens/services-after-changes.png", fullPage: true });

  // Three changes, three succeeded outcomes, each with before and after.
  const outcomes = (await auditRows(page, { action: "service.instance.update", environment: env })).filter((r) => r.phase === "outcome").reverse();
  expect(outcomes.map((r) => r.outcome)).toEqual(["succeeded", "succeeded", "succeeded"]);
  expect(outcomes.map((r) => [(r.before as { enabled: boolean }).enabled, (r.after as { enabled: boolean }).enabled])).toEqual([
    [true, false],
    [false, true],
    [true, true],
  ]);
  expect((outcomes[2]!.after as { metadata: Record<string, string> }).metadata).toMatchObject({ canary: "true" });
});

test("when Nacos cannot be reached, the services page shows a banner naming the environment and Nacos", async ({ page }) => {
  test.setTimeout(120_000);
  const { proxy, url } = await proxiedNacos();
  const env = `svc-down-${run}`;
  await signInAsAdmin(page);
  await createEnvironment(page, { name: env, labels: { tier: "prod", site: "e2e" }, registry: nacosRegistry(url) });
  const services = await openService(page, env, guarded.service);
  await expect(services.banner()).toHaveCount(0);
  expect(proxy.forwarded).toBeGreaterThan(0);

  proxy.mode = "refuse";
  await untilConsoleSeesNacosDown(page, `/api/v1/environments/${env}/services?namespace=&page=1&pageSize=50`);
  // The service's own page: one sentence naming the system and the environment, retry, settings.
  await page.reload();
  await expect(services.banner()).toHaveText(new RegExp(`^Nacos in environment ${env} cannot be reached\\.\\s*Retry\\s*Environment settings$`));
  await expect(services.banner().getByRole("link", { name: "Environment settings" })).toHaveAttribute("href", "/settings/environments");
  await expect(services.instances()).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/service-page-unreachable.png", fullPage: true });
  // The list says the same once, not twice over ("Nacos cannot be reached: Nacos in environment … is unreachable").
  await services.goto();
  await expect(services.banner()).toHaveText(new RegExp(`^Nacos in environment ${env} cannot be reached\\.\\s*Retry\\s*Environment settings$`));
  await expect(services.table()).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/services-unreachable.png", fullPage: true });
});

test("a write that cannot reach Nacos is audited as failed, the dialog says so, and Nacos is unchanged", async ({ page }) => {
  test.setTimeout(120_000);
  const { proxy, url } = await proxiedNacos();
  const env = `svc-failed-write-${run}`;
  await signInAsAdmin(page);
  await createEnvironment(page, { name: env, labels: { tier: "prod", site: "e2e" }, registry: nacosRegistry(url) });
  const services = await openService(page, env, guarded.service);
  const row = services.instance(guarded.port);
  await expect(row.locator("td").nth(3)).toHaveText("✓");
  await row.getByRole("button", { name: "Disable" }).click();
  await expect(services.diff()).toContainText("+ enabled: false");
  // Once Nacos's TCP check has marked the other instance unhealthy, this is the last healthy
  // one and the page asks for the explicit acknowledgement first (instance-change-form.spec.ts).
  const ack = page.getByTestId("stops-traffic-ack");
  if (await ack.isVisible()) await ack.check();

  // The outage starts while the dialog is open: the confirmed write is the call that fails.
  proxy.mode = "refuse";
  await untilConsoleSeesNacosDown(page, `/api/v1/environments/${env}/services/DEFAULT_GROUP/${guarded.service}?namespace=`);
  await services.confirm().click();
  await expect(services.dialog().getByRole("alert")).toContainText(`Nacos in environment ${env} is unreachable`);
  await page.screenshot({ path: "test-results/screens/services-write-failed.png", fullPage: true });
  await page.getByRole("button", { name: "Cancel" }).click();

  const rows = await auditRows(page, { action: "service.instance.update", environment: env });
  expect(rows).toHaveLength(2);
  const [outcome, intent] = rows;
  expect(intent).toMatchObject({ phase: "intent", outcome: null, targetName: `DEFAULT_GROUP@@${guarded.service}/127.0.0.1:${guarded.port}` });
  expect(outcome).toMatchObject({ phase: "outcome", outcome: "failed", requestId: intent!.requestId, actorName: "admin" });
  expect(outcome!.detail).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", system: "nacos", environment: env });

  // Nacos itself (reached directly, not through the proxy) still has the instance enabled.
  expect(await instance(guarded.service, guarded.port)).toMatchObject({ enabled: true, weight: 1 });
});
