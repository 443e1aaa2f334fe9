/**
 * ZooKeeper registries end to end against the stack's real ZooKeeper: Dubbo and Spring Cloud
 * services on the services page come from znodes this spec writes the way those frameworks
 * register (lib/zookeeper/dubbo.ts); an admin creates, edits and deletes a znode in the
 * browser, and an edit at a stale version is shown as a conflict with nothing written; an
 * operator may browse but gets no write control, and a direct write is refused (403, audited
 * as denied). What happened is checked in ZooKeeper itself, not through the console.
 */
import { expect, test, type Page } from "@playwright/test";
import { encodeDubboZnodeName } from "../../lib/zookeeper/dubbo";
import { auditRows, bindGroup, chooseEnvironment, createEnvironment, deleteEnvironments } from "../fixtures/console-api";
import { ldapGroupDn, signInAsAdmin, signInWithLdap } from "../fixtures/sign-in";
import { connectZookeeper, zookeeperHosts, type Zk } from "../fixtures/zookeeper";
import { screensInEveryLook } from "../fixtures/screens";
import { ServicesPage } from "../pages/services-page";
import { ZnodeBrowserPage } from "../pages/znode-browser-page";

const run = Date.now().toString(36);
const runRoot = `/switchyard-e2e-zk-${run}`;
const dubboRoot = `${runRoot}/dubbo-estate`;
const springRoot = `${runRoot}/spring-estate`;
const DUBBO = `zk-dubbo-${run}`;
const SPRING = `zk-spring-${run}`;
const ORDER = "com.acme.e2e.OrderService";
const USER = "com.acme.e2e.UserService";
let zk: Zk;

function provider(iface: string, host: string, port: number, extra: string): string {
  return `dubbo://${host}:${port}/${iface}?anyhost=true&application=order-app&dubbo=2.0.2&interface=${iface}&side=provider&timestamp=1700000000000${extra}`;
}

function springInstance(name: string, id: string, address: string, port: number, status: string): string {
  return JSON.stringify({
    name,
    id,
    address,
    port,
    sslPort: null,
    payload: { "@class": "org.springframework.cloud.zookeeper.discovery.ZookeeperInstance", id: name, name, metadata: { instance_status: status, zone: "hz-a" } },
    registrationTimeUTC: 1700000000000,
    serviceType: "DYNAMIC",
    uriSpec: { parts: [] },
  });
}

const providers = `${dubboRoot}/dubbo/${ORDER}/providers`;

test.beforeAll(async () => {
  zk = await connectZookeeper();
  // Dubbo: OrderService with two ungrouped providers (one disabled), one in group "gray" and
  // one consumer; UserService with one provider; and a config file for the znode browser.
  await zk.create(`${providers}/${encodeDubboZnodeName(provider(ORDER, "10.0.0.5", 20880, "&methods=create,cancel&version=1.0.0&weight=50"))}`);
  await zk.create(`${providers}/${encodeDubboZnodeName(provider(ORDER, "10.0.0.6", 20880, "&methods=create,cancel&version=1.0.0&disabled=true"))}`);
  await zk.create(`${providers}/${encodeDubboZnodeName(provider(ORDER, "10.0.0.7", 20881, "&methods=create&version=2.0.0&group=gray"))}`);
  await zk.create(`${dubboRoot}/dubbo/${ORDER}/consumers/${encodeDubboZnodeName(`consumer://10.0.9.9/${ORDER}?application=web&category=consumers&interface=${ORDER}&side=consumer`)}`);
  await zk.create(`${dubboRoot}/dubbo/${USER}/providers/${encodeDubboZnodeName(provider(USER, "10.0.1.5", 20880, "&methods=get"))}`);
  await zk.create(`${dubboRoot}/config`);
  // Dubbo's own nodes beside the interfaces (its config centre and metadata): not services (#11).
  await zk.create(`${dubboRoot}/dubbo/config/dubbo/order-app.configurators`, "override://0.0.0.0/");
  await zk.create(`${dubboRoot}/dubbo/metadata/${ORDER}`);
  // Spring Cloud: two instances of "orders" (one OUT_OF_SERVICE) and one of "billing".
  await zk.create(`${springRoot}/services/orders/0b1c`, springInstance("orders", "0b1c", "10.1.0.5", 8080, "UP"));
  await zk.create(`${springRoot}/services/orders/7f2e`, springInstance("orders", "7f2e", "10.1.0.6", 8080, "OUT_OF_SERVICE"));
  await zk.create(`${springRoot}/services/billing/aa01`, springInstance("billing", "aa01", "10.1.0.9", 9090, "UP"));
});

test.afterAll(async ({ browser }) => {
  await deleteEnvironments(browser, [DUBBO, SPRING]);
  await zk?.removeTree(runRoot);
  zk?.close();
});

async function registerEnvironments(page: Page): Promise<void> {
  const hosts = zookeeperHosts();
  await createEnvironment(page, { name: DUBBO, labels: { tier: "prod", site: "e2e" }, registry: { kind: "zookeeper", hosts, layout: "dubbo", root: dubboRoot } });
  await createEnvironment(page, { name: SPRING, labels: { tier: "prod", site: "e2e" }, registry: { kind: "zookeeper", hosts, layout: "spring-cloud", root: springRoot } });
}

test("Dubbo and Spring Cloud services are shown from the znodes in ZooKeeper, read-only, and follow a new registration", async ({ page }) => {
  await signInAsAdmin(page);
  await registerEnvironments(page);

  await chooseEnvironment(page, DUBBO);
  const services = new ServicesPage(page);
  await services.goto();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(DUBBO);
  await expect(page.getByTestId("znodes-link")).toBeVisible();
  // Three: OrderService twice (no group, "gray") and UserService — not /dubbo/config or /dubbo/metadata.
  await expect(services.rows()).toHaveCount(3);
  await expect(services.table()).not.toContainText("config");
  await expect(services.table()).not.toContainText("metadata");
  const plain = services.row(ORDER).filter({ has: page.locator("td:nth-child(2)", { hasText: /^—$/ }) });
  const gray = services.row(ORDER).filter({ has: page.locator("td:nth-child(2)", { hasText: /^gray$/ }) });
  // Instances, healthy, clusters: two providers, the disabled one not healthy.
  await expect(plain.locator("td")).toHaveText([ORDER, "—", "2", "1"]);
  await expect(gray.locator("td")).toHaveText([ORDER, "gray", "1", "1"]);
  await expect(services.row(USER).locator("td")).toHaveText([USER, "—", "1", "1"]);
  await plain.click();
  // The service's own page: /services/<env>/public/<group>/<interface>.
  await expect(page).toHaveURL(`/services/${DUBBO}/public/${encodeURIComponent("—")}/${ORDER}`);
  await expect(services.title()).toHaveText(ORDER);
  await expect(services.instances()).toBeVisible();
  await expect(services.instanceRows()).toHaveCount(2);
  const active = services.instanceRows().filter({ hasText: "10.0.0.5:20880" });
  const disabled = services.instanceRows().filter({ hasText: "10.0.0.6:20880" });
  // Weight, healthy, enabled, from the Dubbo URL in the znode's name (100 is Dubbo's default weight).
  await expect(active.locator("td").nth(1)).toHaveText("50");
  await expect(active.locator("td").nth(3)).toHaveText("✓");
  await expect(active).toContainText("version=1.0.0");
  await expect(active).toContainText("methods=create,cancel");
  await expect(disabled.locator("td").nth(1)).toHaveText("100");
  await expect(disabled.locator("td").nth(2)).toHaveText("✗");
  await expect(disabled.locator("td").nth(3)).toHaveText("—");
  // ZooKeeper registries are read-only here: no instance controls.
  await expect(services.instances().getByRole("button")).toHaveCount(0);
  // Provider URLs split into fields; the consumer listed with its application.
  const first = services.providers().locator("tbody tr").filter({ hasText: "10.0.0.5" });
  await expect(first.locator("td")).toHaveText(["dubbo", "10.0.0.5", "20880", "order-app", ORDER, "1.0.0", /create\s*cancel/]);
  await expect(services.providers().locator("tbody tr")).toHaveCount(2);
  await expect(services.consumers().locator("tbody tr")).toHaveCount(1);
  await expect(services.consumers().locator("tbody tr").first().locator("td")).toHaveText(["consumer", "10.0.9.9", "web", ORDER, "—", "—"]);
  await expect(page.getByTestId("subscribers")).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/zookeeper-dubbo.png", fullPage: true });
  await screensInEveryLook(page, "service-page-dubbo", async () => {
    await expect(services.providers()).toBeVisible();
  });
  await page.goBack();

  // A provider registering now shows up: the page reads ZooKeeper, not a copy.
  await zk.create(`${providers}/${encodeDubboZnodeName(provider(ORDER, "10.0.0.8", 20882, "&methods=create&version=1.0.0"))}`);
  await expect(async () => {
    await page.reload();
    await expect(plain.locator("td").nth(2)).toHaveText("3", { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(plain.locator("td").nth(3)).toHaveText("2");

  await chooseEnvironment(page, SPRING);
  await services.goto();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(SPRING);
  await expect(services.rows()).toHaveCount(2);
  await expect(services.row("orders").locator("td")).toHaveText(["orders", "—", "2", "1"]);
  await expect(services.row("billing").locator("td")).toHaveText(["billing", "—", "1", "1"]);
  await services.open("orders");
  const up = services.instanceRows().filter({ hasText: "10.1.0.5:8080" });
  const out = services.instanceRows().filter({ hasText: "10.1.0.6:8080" });
  await expect(up.locator("td").nth(3)).toHaveText("✓");
  await expect(up).toContainText("instance_status=UP");
  await expect(out.locator("td").nth(2)).toHaveText("✗");
  await expect(out.locator("td").nth(3)).toHaveText("—");
  await expect(out).toContainText("instance_status=OUT_OF_SERVICE");
  await expect(services.instances().getByRole("button")).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/zookeeper-spring.png", fullPage: true });
});

test("an admin creates, edits and deletes a znode in the browser; an edit at a stale version shows the conflict and writes nothing", async ({ page }) => {
  await signInAsAdmin(page);
  await registerEnvironments(page);
  await chooseEnvironment(page, DUBBO);
  const browser = new ZnodeBrowserPage(page);
  await browser.goto();
  await expect(browser.children()).toContainText("config");
  await expect(browser.children()).toContainText("dubbo");
  await browser.open("/config");
  const file = `${dubboRoot}/config/e2e.properties`;

  // Create, through the confirmation.
  await browser.createChild("e2e.properties", "timeout=3000");
  await expect(browser.dialog()).toContainText("Create /config/e2e.properties");
  await expect(page.getByTestId("confirm-diff")).toContainText("+ timeout=3000");
  await browser.confirm().click();
  await expect(browser.dialog()).toHaveCount(0);
  expect(await zk.get(file)).toEqual({ data: "timeout=3000", version: 0 });
  await expect(browser.child("e2e.properties")).toBeVisible();

  // Edit while someone else writes the node first: the save carries version 0, ZooKeeper is at 1.
  await browser.child("e2e.properties").click();
  await expect(browser.data()).toHaveText("timeout=3000");
  await expect(browser.stat("Version")).toHaveText("0");
  await browser.edit().click();
  await browser.editor().fill("timeout=5000");
  await zk.set(file, "timeout=4000", 0);
  await browser.save().click();
  await expect(browser.dialog()).toContainText("(loaded at version 0)");
  await expect(page.getByTestId("confirm-diff")).toContainText("- timeout=3000");
  await expect(page.getByTestId("confirm-diff")).toContainText("+ timeout=5000");
  await browser.confirm().click();
  await expect(browser.dialog().getByRole("alert")).toContainText("This node changed since you loaded it");
  // Saving again would be refused the same way: Save stays disabled until the node is reloaded (#11).
  await expect(browser.confirm()).toBeDisabled();
  await page.screenshot({ path: "test-results/screens/znodes-conflict.png", fullPage: true });
  expect(await zk.get(file), "the stale write changed nothing in ZooKeeper").toEqual({ data: "timeout=4000", version: 1 });

  // Reload shows the other write; editing again from there succeeds.
  await browser.dialog().getByRole("button", { name: "Reload" }).click();
  await expect(browser.dialog()).toHaveCount(0);
  await expect(browser.data()).toHaveText("timeout=4000");
  await expect(browser.stat("Version")).toHaveText("1");
  await browser.edit().click();
  await browser.editor().fill("timeout=5000");
  await browser.save().click();
  await expect(browser.dialog()).toContainText("(loaded at version 1)");
  await browser.confirm().click();
  await expect(browser.dialog()).toHaveCount(0);
  await expect(browser.data()).toHaveText("timeout=5000");
  expect(await zk.get(file)).toEqual({ data: "timeout=5000", version: 2 });

  // Delete, through the confirmation; the browser goes back to the parent.
  await browser.remove().click();
  await expect(browser.dialog()).toContainText("Delete /config/e2e.properties");
  await browser.confirm().click();
  await expect(browser.dialog()).toHaveCount(0);
  await expect(page.getByTestId("znode-breadcrumb").locator("[aria-current=page]")).toHaveText("config");
  await expect(page.getByText("No children.")).toBeVisible();
  expect(await zk.get(file)).toBeNull();
  await page.screenshot({ path: "test-results/screens/znodes-after-delete.png", fullPage: true });

  // Each step on record: create, conflict, write, delete.
  const rows = (await auditRows(page, { action: "registry.znode.*", environment: DUBBO })).filter((r) => r.phase === "outcome").reverse();
  expect(rows.map((r) => `${r.action} ${r.outcome}`)).toEqual(["registry.znode.write succeeded", "registry.znode.write conflict", "registry.znode.write succeeded", "registry.znode.delete succeeded"]);
  expect(rows.every((r) => r.targetName === "/config/e2e.properties")).toBe(true);
});

test("an operator browses znodes without write controls; a direct write or delete is refused with 403, audited as denied", async ({ page, browser }) => {
  await signInAsAdmin(page);
  await registerEnvironments(page);
  await bindGroup(page, ldapGroupDn("platform-ops"), "operator");
  await zk.create(`${dubboRoot}/config/keep.properties`, "retries=2");
  const before = await zk.get(`${dubboRoot}/config/keep.properties`);

  const alice = await browser.newPage();
  try {
    await signInWithLdap(alice, "alice");
    await chooseEnvironment(alice, DUBBO);
    const znodes = new ZnodeBrowserPage(alice);
    await znodes.goto();
    await znodes.open("/config/keep.properties");
    await expect(znodes.data()).toHaveText("retries=2");
    await expect(znodes.newChild()).toHaveCount(0);
    await expect(znodes.edit()).toHaveCount(0);
    await expect(znodes.remove()).toHaveCount(0);
    await alice.screenshot({ path: "test-results/screens/znodes-operator.png", fullPage: true });

    const headers = { origin: new URL(alice.url()).origin };
    const base = `/api/v1/environments/${DUBBO}/znodes`;
    const write = await alice.request.put(base, { headers, data: { path: "/config/keep.properties", data: "retries=9", expectedVersion: before!.version } });
    expect(write.status()).toBe(403);
    expect(await write.json()).toMatchObject({ code: "FORBIDDEN" });
    const create = await alice.request.put(base, { headers, data: { path: "/config/new.properties", data: "x=1", create: true } });
    expect(create.status()).toBe(403);
    const remove = await alice.request.delete(`${base}?path=${encodeURIComponent("/config/keep.properties")}&expectedVersion=${before!.version}`, { headers });
    expect(remove.status()).toBe(403);

    expect(await zk.get(`${dubboRoot}/config/keep.properties`)).toEqual(before);
    expect(await zk.exists(`${dubboRoot}/config/new.properties`)).toBe(false);
    // Alice sees her own rows: three refusals, nothing else.
    const rows = await auditRows(alice, { action: "registry.znode.*", environment: DUBBO });
    expect(rows.map((r) => `${r.action} ${r.phase} ${r.outcome}`).sort()).toEqual(["registry.znode.delete outcome denied", "registry.znode.write outcome denied", "registry.znode.write outcome denied"]);
  } finally {
    await alice.close();
  }
});
