/**
 * Issue #11: a service had no page of its own — its instances opened below the list and
 * vanished on reload, so a service could not be linked, bookmarked or reached with Back. Now
 * `/services/<env>/<namespace>/<group>/<service>` is the service's page (the list's rows link
 * to it): instances by cluster with their health and metadata as labels, and the subscribers,
 * read from the stack's real Nacos. Screenshots in English and 简体中文, light and dark.
 */
import { expect, test } from "@playwright/test";
import { chooseEnvironment, createEnvironment, deleteEnvironments } from "../fixtures/console-api";
import { deregisterInstance, disableHealthCheck, nacosPeer, registerInstance, type InstanceSpec } from "../fixtures/nacos-api";
import { screensInEveryLook } from "../fixtures/screens";
import { signInAsAdmin } from "../fixtures/sign-in";
import { ServicesPage } from "../pages/services-page";

const run = Date.now().toString(36);
const env = `svc-page-${run}`;
const service = `svc-page-${run}`;
// hz-b's instance is on Nacos' own port, so Nacos' TCP check (on for clusters other than DEFAULT) finds it healthy.
const answering = nacosPeer().port;
const registered: InstanceSpec[] = [
  { service, port: 7401, metadata: { zone: "hz-a", version: "1.2.0" } },
  { service, port: answering, clusterName: "hz-b", weight: 2, metadata: { zone: "hz-b", version: "1.2.0" } },
];

test.beforeAll(async () => {
  for (const i of registered) await registerInstance(i);
  await disableHealthCheck(service);
});

test.afterAll(async ({ browser }) => {
  await deleteEnvironments(browser, [env]);
  for (const i of registered) await deregisterInstance(i).catch(() => undefined);
});

test("a service has its own page: linked from the list, bookmarkable, Back returns to the list", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page);
  const n = nacosPeer();
  await createEnvironment(page, { name: env, labels: { tier: "dev" }, registry: { kind: "nacos", url: n.url, username: n.username, password: n.password, namespaces: [""] } });
  await chooseEnvironment(page, env);
  const services = new ServicesPage(page);
  await services.goto();
  await services.search(service);
  await expect(services.row(service)).toBeVisible({ timeout: 20_000 });
  const link = services.row(service).getByRole("link", { name: service, exact: true });
  const address = `/services/${env}/public/DEFAULT_GROUP/${service}`;
  await expect(link).toHaveAttribute("href", address);

  // Both clusters' instances (hz-b appears once Nacos lists the cluster, a moment after registration).
  await expect(async () => {
    await page.goto(address);
    await expect(page.getByTestId("cluster-hz-b")).toContainText(`127.0.0.1:${answering}`, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(services.title()).toHaveText(service);
  // The Services tab stays the current one on a service's page (Zones does not).
  await expect(page.getByTestId("services-tab")).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("zones-link")).not.toHaveAttribute("aria-current", "page");
  await expect(page.getByText(`Environment ${env} · namespace public · group DEFAULT_GROUP`)).toBeVisible();
  await expect(page.getByTestId("service-summary")).toHaveText("2 of 2 instances healthy");
  await expect(page.getByTestId("cluster-DEFAULT")).toContainText("127.0.0.1:7401");
  await expect(page.getByTestId("cluster-DEFAULT")).toContainText("1 of 1 healthy");
  // Metadata as labels, one per key, sorted by key.
  const first = services.instance(7401);
  await expect(first.locator("td").nth(5).locator("span")).toHaveText(["version=1.2.0", "zone=hz-a"]);
  await expect(services.instance(answering).locator("td").nth(1)).toHaveText("2");
  await expect(page.getByTestId("subscribers")).toContainText("Subscribers (0)");
  await expect(page.getByTestId("subscribers")).toContainText("No client subscribes to this service.");
  await expect(page).toHaveTitle(new RegExp(service));
  // The golden signals (overview area) load only when opened.
  const signals = page.getByTestId("service-signals");
  await expect(signals).toContainText("Golden signals");
  await signals.getByTestId("service-signals-toggle").click();
  await expect(signals.getByTestId("service-signals-toggle")).toHaveAttribute("aria-expanded", "true");
  await signals.getByTestId("service-signals-toggle").click();

  // From the list: the row's link opens the page; Back returns to the list.
  await services.goto();
  await services.search(service);
  await services.open(service);
  await expect(page).toHaveURL(address);
  await page.goBack();
  await expect(page).toHaveURL(/\/services$/);
  await expect(services.table()).toBeVisible();

  // A bookmark: the address alone, in a fresh tab, shows the same service.
  const tab = await page.context().newPage();
  await tab.goto(address);
  await expect(tab.getByTestId("service-title")).toHaveText(service);
  await expect(tab.getByTestId("cluster-hz-b")).toContainText(`127.0.0.1:${answering}`);
  await tab.close();

  // A service Nacos does not have: the page says so; an environment that does not exist is a 404.
  await page.goto(`/services/${env}/public/DEFAULT_GROUP/${service}-missing`);
  await expect(page.getByTestId("service-detail").getByRole("alert")).toBeVisible();
  // (The console streams its pages, so the not-found page arrives with the shell's status: look at it.)
  await page.goto(`/services/no-such-env-${run}/public/DEFAULT_GROUP/${service}`);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByTestId("service-detail")).toHaveCount(0);

  await page.goto(address);
  const shots = await screensInEveryLook(page, "service-page", async () => {
    await expect(page.getByTestId("cluster-hz-b")).toBeVisible();
  });
  expect(shots).toHaveLength(4);
});
