/**
 * The services page at scale against the stack's real Nacos: 10,000 services seeded into a
 * fresh namespace through Nacos' Open API (bounded concurrency), then the page's totals, its
 * server-side sort, and paging by "Next" from the first page to the last, reading every row.
 * SWITCHYARD_E2E_SERVICES lowers the count for a quick local run; the suite runs 10,000.
 */
import { expect, test } from "@playwright/test";
import { chooseEnvironment, createEnvironment, deleteEnvironments } from "../fixtures/console-api";
import { createNamespace, nacosPeer, seedServices, servicePage, unseedServices } from "../fixtures/nacos-api";
import { signInAsAdmin } from "../fixtures/sign-in";
import { ServicesPage } from "../pages/services-page";

const COUNT = Number(process.env.SWITCHYARD_E2E_SERVICES ?? 10_000);
const PAGE_SIZE = 50; // the services page's page size
const run = Date.now().toString(36);
const namespace = `e2e-10k-${run}`;
const environment = `svc-10k-${run}`;
const names = Array.from({ length: COUNT }, (_, i) => `svc-${String(i).padStart(5, "0")}`);

test.beforeAll(async () => {
  test.setTimeout(600_000);
  await createNamespace(namespace);
  await seedServices(namespace, names, 16);
  await expect.poll(async () => (await servicePage(namespace, 1, 1)).totalCount, { message: "Nacos lists every seeded service" }).toBe(COUNT);
});

test.afterAll(async ({ browser }) => {
  test.setTimeout(300_000);
  await deleteEnvironments(browser, [environment]);
  await unseedServices(namespace, names, 16);
});

test(`${COUNT} services: the page shows Nacos' total, sorts the whole namespace, and pages by Next to the last page with every service once`, async ({ page }) => {
  test.setTimeout(600_000);
  const pages = Math.ceil(COUNT / PAGE_SIZE);
  const lastPageRows = COUNT - (pages - 1) * PAGE_SIZE;
  await signInAsAdmin(page);
  const n = nacosPeer();
  await createEnvironment(page, { name: environment, labels: { tier: "prod", site: "e2e" }, registry: { kind: "nacos", url: n.url, username: n.username, password: n.password, namespaces: [namespace] } });
  await chooseEnvironment(page, environment);
  const services = new ServicesPage(page);
  await services.goto();
  await expect(page.getByLabel("Namespace")).toHaveValue(namespace);
  await expect(services.rows()).toHaveCount(PAGE_SIZE);

  // Sorted by name over the whole namespace (the console pages its own snapshot).
  await page.getByTestId("sort-name").click();
  await expect(page.getByTestId("sort-name")).toContainText("▲");
  await expect(services.pager()).toContainText(`Page 1 / ${pages} · ${COUNT}`);
  await expect(services.rows().first().locator("td").first()).toHaveText(names[0]!);
  await page.getByTestId("sort-name").click();
  await expect(page.getByTestId("sort-name")).toContainText("▼");
  await expect(services.rows().first().locator("td").first()).toHaveText(names[COUNT - 1]!);
  await page.getByTestId("sort-name").click();
  await expect(page.getByTestId("sort-name")).toContainText("↕");

  // Nacos' own order, page by page: "Page n / m · total" as the user reads it. Soft, so a
  // wrong page count still pages through to show where it leads.
  await expect.soft(services.pager(), "the page count of the unsorted list").toContainText(`Page 1 / ${pages} · ${COUNT}`);
  await page.screenshot({ path: "test-results/screens/services-10k-first.png", fullPage: true });
  await expect(services.previous()).toBeDisabled();
  const seen = new Map<string, number>();
  let current = 1;
  for (;;) {
    await expect(services.pager()).toContainText(`Page ${current} / `);
    const onPage = await services.rows().locator("td:first-child").allTextContents();
    for (const name of onPage) seen.set(name, (seen.get(name) ?? 0) + 1);
    if (await services.next().isDisabled()) break;
    await services.next().click();
    current++;
    if (current > pages + 5) break; // a pager that never ends is reported below, not looped on
  }
  await page.screenshot({ path: "test-results/screens/services-10k-last.png", fullPage: true });
  expect.soft(current, "the last page the Next button reaches").toBe(pages);
  await expect.soft(services.pager()).toContainText(`Page ${pages} / ${pages} · ${COUNT}`);
  await expect.soft(services.rows(), "rows on the last page").toHaveCount(lastPageRows);
  expect(seen.size, "distinct services seen over all pages").toBe(COUNT);
  expect([...seen.values()].every((times) => times === 1), "every service is on exactly one page").toBe(true);
  expect([...seen.keys()].sort()).toEqual(names);
});
