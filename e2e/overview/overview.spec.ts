/**
 * The overview with data (issue #16): an environment on the stack's real Nacos and real
 * Prometheus (scraping an exporter this spec starts with known Istio traffic), sampled by the
 * console's own sampler. Its charts draw (non-empty SVG paths) in English and 简体中文, light and
 * dark; each has a table fallback; numbers link to the filtered list; the site view shows the
 * zone; and the chart library's scripts reach no other page.
 */
import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { loadStackEnv } from "../../lib/testing/peers";
import { startIstioExporter, type IstioExporter } from "../../lib/testing/istio-exporter";
import { createEnvironment, deleteEnvironments } from "../fixtures/console-api";
import { screenPath } from "../fixtures/screens";
import { signInAsAdmin } from "../fixtures/sign-in";
import { OverviewPage } from "../pages/overview-page";

const run = randomBytes(3).toString("hex");
const ENV = `ov-e2e-${run}`;
const SITE = `ov-site-${run}`;
let exporter: IstioExporter | undefined;

test.afterAll(async ({ browser }) => {
  await exporter?.close();
  await deleteEnvironments(browser, [ENV]);
});

async function setCookie(page: Page, name: string, value: string) {
  await page.context().addCookies([{ name, value, url: new URL(page.url()).origin }]);
}

test("the overview of an environment with data: charts in both languages and themes, tables, links, site view", async ({ page }) => {
  test.setTimeout(300_000);
  // Traffic first: Prometheus needs a minute of samples for two points of the 1 h range.
  exporter = await startIstioExporter(`e2e-${run}`, [
    {
      service: `web-${run}`,
      namespace: `shop-${run}`,
      zones: [
        { zone: "zone-a", rates: { "200": 9, "503": 1 }, shares: [0.2, 0.4, 0.7, 0.9, 0.96, 1, 1, 1] },
        { zone: "zone-b", rates: { "200": 4, "500": 1 }, shares: [0.1, 0.2, 0.4, 0.6, 0.8, 0.95, 1, 1] },
      ],
    },
  ]);
  const stack = loadStackEnv();
  await signInAsAdmin(page);
  const origin = new URL(page.url()).origin;
  await createEnvironment(page, {
    name: ENV,
    labels: { tier: "dev", site: SITE, zone: "zone-a" },
    registry: { kind: "nacos", url: stack.SWITCHYARD_TEST_NACOS_URL, username: stack.SWITCHYARD_TEST_NACOS_USERNAME, password: stack.SWITCHYARD_TEST_NACOS_PASSWORD, namespaces: [""] },
    prometheusUrl: stack.SWITCHYARD_TEST_PROMETHEUS_URL,
  });
  // A refused change in the environment: a stale version is a conflict, counted with the failures.
  const stale = await page.request.put(`/api/v1/environments/${ENV}`, { headers: { origin }, data: { name: ENV, labels: { tier: "dev", site: SITE, zone: "zone-a" }, expectedVersion: 99 } });
  expect(stale.status()).toBe(409);

  const overview = new OverviewPage(page);
  await overview.goto({ environment: ENV, range: "1h" });
  await expect(overview.lastUpdated()).toContainText("Last updated");
  // The sampler (every replica looks every 15 s) records the environment; the page re-reads.
  await expect(async () => {
    await overview.part("overview-refresh").click();
    await expect(overview.part("overview-instances-now")).toHaveAttribute("data-state", "ready", { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  // Each number opens the list behind it: that environment's services, filtered where it counts a subset.
  await expect(overview.part("now-zone-a-services")).toHaveAttribute("href", `/services?environment=${ENV}`);
  await expect(overview.part("now-zone-a-unhealthy")).toHaveAttribute("href", `/services?environment=${ENV}&unhealthy=true`);

  // Golden signals from the real Prometheus: the lines draw once two points exist, and the
  // newest rate window is whole once the exporter has been scraped for a minute: 15 req/s (at
  // least: another exporter of a test running beside this one adds its own traffic).
  await expect(async () => {
    await overview.part("overview-refresh").click();
    expect(await overview.drawnPaths("signal-requestRate")).toBeGreaterThanOrEqual(3); // total + two zones
    const now = Number((await overview.part("signal-requestRate-now").innerText()).replace(/[^\d.]/g, ""));
    expect(now).toBeGreaterThanOrEqual(14.9);
    // Two sampled minutes: the instances line has two points.
    expect(await overview.drawnPaths("overview-instances-history")).toBeGreaterThanOrEqual(1);
  }).toPass({ timeout: 180_000, intervals: [5_000] });
  await expect(overview.part("signal-p99-promql")).toHaveAttribute("title", /histogram_quantile\(0\.99/);
  expect(await overview.drawnPaths("signal-p99")).toBeGreaterThanOrEqual(3);
  expect(await overview.drawnPaths("overview-by-action")).toBeGreaterThanOrEqual(1);
  expect(await overview.drawnPaths("overview-top-actors")).toBeGreaterThanOrEqual(1);

  // Failed and denied: the conflict is counted and links to the filtered audit list.
  await expect(overview.part("problems-failed")).toHaveText("1");
  await expect(overview.part("problems-failed")).toHaveAttribute("href", new RegExp(`^/audit\\?outcome=failed&environment=${ENV}&from=`));
  await expect(overview.part("overview-gray")).toHaveAttribute("data-state", /empty|unavailable/);

  // Table fallback: the same values as a table, on demand.
  await overview.part("overview-by-action-table-toggle").click();
  await expect(overview.part("overview-by-action").getByRole("table")).toContainText("environment.create");
  await overview.part("overview-by-action-table-toggle").click();

  for (const locale of ["en", "zh-CN"] as const) {
    for (const theme of ["light", "dark"] as const) {
      await setCookie(page, "switchyard.locale", locale);
      await setCookie(page, "switchyard.theme", theme);
      await overview.goto({ environment: ENV, range: "1h" });
      await expect(overview.part("overview-instances-now")).toHaveAttribute("data-state", "ready");
      await expect.poll(() => overview.drawnPaths("signal-requestRate"), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
      expect(await overview.drawnPaths("overview-instances-history")).toBeGreaterThanOrEqual(1);
      if (locale === "zh-CN") await expect(overview.lastUpdated()).toContainText("最后更新");
      await page.screenshot({ path: screenPath(`overview-${locale}-${theme}.png`), fullPage: true });
    }
  }
  await setCookie(page, "switchyard.locale", "en");
  await setCookie(page, "switchyard.theme", "light");

  // The site view: one zone per environment of the site.
  await overview.goto({ environment: ENV, range: "24h" });
  await overview.scope().selectOption(`site:${SITE}`);
  await expect(page).toHaveURL(new RegExp(`site=${SITE}`));
  await expect(overview.part("now-zone-a-instances")).toBeVisible();
  await page.screenshot({ path: screenPath("overview-site.png"), fullPage: true });
});

test("the chart library's scripts load on the overview only", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAsAdmin(page);
  const scriptsOf = async (path: string) => {
    const seen = new Map<string, Promise<string>>();
    const onResponse = (res: import("@playwright/test").Response) => {
      if (res.request().resourceType() === "script") seen.set(new URL(res.url()).pathname, res.text().catch(() => ""));
    };
    page.on("response", onResponse);
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    page.off("response", onResponse);
    return new Map(await Promise.all([...seen].map(async ([u, p]) => [u, await p] as const)));
  };
  const onOverview = await scriptsOf("/overview");
  // Recharts' own class names mark its code in a chunk.
  const chartChunks = [...onOverview].filter(([, body]) => body.includes("recharts-wrapper")).map(([u]) => u);
  expect(chartChunks.length, "the overview loads the chart library").toBeGreaterThan(0);
  for (const path of ["/services", "/audit", "/settings", "/settings/environments", "/configs", "/mesh", "/gateway"]) {
    const other = await scriptsOf(path);
    const leaked = [...other].filter(([u, body]) => chartChunks.includes(u) || body.includes("recharts-wrapper")).map(([u]) => u);
    expect(leaked, `${path} loads chart code`).toEqual([]);
  }
  await context.close();
});
