/**
 * The services page's CSV export against the stack's real Nacos: downloaded as a user does,
 * parsed (RFC 4180), and compared with what Nacos itself lists — header, row count, every
 * name and count; cells that a spreadsheet would evaluate are neutralized.
 */
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { chooseEnvironment, createEnvironment, deleteEnvironments } from "../fixtures/console-api";
import { parseCsv } from "../fixtures/csv";
import { createNamespace, nacosPeer, seedServices, servicePage, unseedServices } from "../fixtures/nacos-api";
import { signInAsAdmin } from "../fixtures/sign-in";
import { ServicesPage } from "../pages/services-page";

const run = Date.now().toString(36);
const namespace = `e2e-csv-${run}`;
const environment = `svc-csv-${run}`;
const FORMULA = `=e2e-formula-${run}`;
const COMMA = `e2e,comma-${run}`;
// 122 services: three pages of 50 on the services page.
const names = [...Array.from({ length: 120 }, (_, i) => `csv-${run}-${String(i).padStart(3, "0")}`), FORMULA, COMMA];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  await createNamespace(namespace);
  await seedServices(namespace, names);
});

test.afterAll(async ({ browser }) => {
  test.setTimeout(120_000);
  await deleteEnvironments(browser, [environment]);
  await unseedServices(namespace, names);
});

async function openNamespace(page: Page): Promise<ServicesPage> {
  await signInAsAdmin(page);
  const n = nacosPeer();
  await createEnvironment(page, { name: environment, labels: { tier: "prod", site: "e2e" }, registry: { kind: "nacos", url: n.url, username: n.username, password: n.password, namespaces: [namespace] } });
  await chooseEnvironment(page, environment);
  const services = new ServicesPage(page);
  await services.goto();
  await expect(page.getByLabel("Namespace")).toHaveValue(namespace);
  return services;
}

async function downloadCsv(page: Page, services: ServicesPage): Promise<{ name: string; rows: string[][] }> {
  const [download] = await Promise.all([page.waitForEvent("download"), services.exportButton().click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), rows: parseCsv(fs.readFileSync(file, "utf8")) };
}

/** Nacos' own list for a search (or the whole namespace), as CSV rows would carry it. */
async function nacosRows(search?: string): Promise<Map<string, string[]>> {
  const page = await servicePage(namespace, 1, 500, search);
  expect(page.totalCount).toBeLessThanOrEqual(500);
  return new Map(page.pageItems.map((s) => [s.name, [s.name, s.groupName, String(s.ipCount), String(s.healthyInstanceCount)]]));
}

/** A CSV cell as a spreadsheet-safe export must write a value starting with = + - @ (docs/security.md §23). */
const neutralized = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

test("the CSV of a search is the list Nacos has for it: header, rows, counts; formula cells neutralized, commas quoted", async ({ page }) => {
  const services = await openNamespace(page);
  await services.search("e2e");
  await expect(services.rows()).toHaveCount(2);
  await page.screenshot({ path: "test-results/screens/services-csv-search.png", fullPage: true });
  const csv = await downloadCsv(page, services);
  expect(csv.name).toBe(`services-${environment}-${namespace}.csv`);

  const expected = await nacosRows("e2e");
  const [header, ...rows] = csv.rows;
  expect(header).toEqual(["name", "group", "instances", "healthy"]);
  expect(rows).toHaveLength(expected.size);
  expect(new Map(rows.map((r) => [r[0]!, r]))).toEqual(new Map([...expected].map(([k, v]) => [neutralized(k), [neutralized(v[0]!), ...v.slice(1)]])));
  // Spelled out: the formula-looking name is prefixed, the comma survived inside quotes.
  expect(rows.map((r) => r[0]).sort()).toEqual([`'${FORMULA}`, COMMA].sort());
});

test("the CSV of a list that spans pages has every service Nacos lists, not only the page on screen", async ({ page }) => {
  const services = await openNamespace(page);
  await expect(services.pager()).toContainText(`Page 1 / 3 · ${names.length}`);
  const csv = await downloadCsv(page, services);
  const expected = await nacosRows();
  expect(expected.size).toBe(names.length);
  const [header, ...rows] = csv.rows;
  expect(header).toEqual(["name", "group", "instances", "healthy"]);
  expect(rows.length, `the CSV has ${rows.length} rows; Nacos lists ${expected.size} services`).toBe(expected.size);
  expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(names.map(neutralized)));
});
