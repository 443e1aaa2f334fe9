/**
 * Objects with validation errors on the overview (issue #16): a VirtualService that routes to a
 * subset no DestinationRule defines, and an HTTPRoute whose only backend weighs 0, written
 * straight into the stack's real API server (the console would refuse them), in a namespace of
 * their own. The console's sampler judges them within a minute or so; the overview shows non-zero
 * counts for the environment and for the namespace, linking to the mesh list and to the gateway's
 * route list filtered to objects with errors — which show those objects.
 * Screenshots in English and 简体中文, light and dark.
 */
import https from "node:https";
import { expect, test, type Page } from "@playwright/test";
import { createEnvironment, deleteEnvironments } from "../fixtures/console-api";
import { screenPath } from "../fixtures/screens";
import { signInAsAdmin } from "../fixtures/sign-in";
import { k8sConnection, k8sRequest } from "../gateway/k8s";
import { OverviewPage } from "../pages/overview-page";

const run = Date.now().toString(36);
const NS = `e2e-ovval-${run}`;
const ENV = `ovval-e2e-${run}`;
const VS = `broken-${run}`;
const ROUTE = `weightless-${run}`;

/** Creates an object in the API server directly (the console's apply would refuse an invalid one). */
function k8sCreate(path: string, body: unknown): Promise<number> {
  const c = k8sConnection();
  const u = new URL(c.url);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request({ host: u.hostname, port: Number(u.port), method: "POST", path, ca: c.ca, cert: c.cert, key: c.key, headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(data);
  });
}

async function setCookie(page: Page, name: string, value: string) {
  await page.context().addCookies([{ name, value, url: new URL(page.url()).origin }]);
}

test.afterAll(async ({ browser }) => {
  await k8sRequest("DELETE", `/apis/networking.istio.io/v1/namespaces/${NS}/virtualservices/${VS}`).catch(() => undefined);
  await k8sRequest("DELETE", `/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/httproutes/${ROUTE}`).catch(() => undefined);
  await deleteEnvironments(browser, [ENV]);
});

test("the overview counts mesh objects with validation errors and links to the filtered mesh list", async ({ page }) => {
  test.setTimeout(300_000);
  const status = await k8sCreate(`/apis/networking.istio.io/v1/namespaces/${NS}/virtualservices`, {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: VS },
    spec: { hosts: [`ghost-${run}`], http: [{ route: [{ destination: { host: `ghost-${run}`, subset: "v9" } }] }] },
  });
  expect(status).toBe(201);
  const routeStatus = await k8sCreate(`/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/httproutes`, {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: ROUTE },
    spec: { parentRefs: [{ name: `gw-${run}` }], hostnames: [`${ROUTE}.example.com`], rules: [{ backendRefs: [{ name: `svc-${run}`, port: 80, weight: 0 }] }] },
  });
  expect(routeStatus).toBe(201);
  await signInAsAdmin(page);
  const k8s = k8sConnection();
  await createEnvironment(page, { name: ENV, labels: { tier: "dev", zone: "zone-v" }, kubernetes: { apiUrl: k8s.url, caPem: k8s.ca, auth: "client-certificate", clientCertPem: k8s.cert, clientKeyPem: k8s.key } });

  const overview = new OverviewPage(page);
  await overview.goto({ environment: ENV, range: "1h" });
  // The sampler looks every 15 s and judges each environment once a minute.
  const nsCount = overview.part(`validation-mesh-${ENV}-ns-${NS}`);
  const gwCount = overview.part(`validation-gateway-${ENV}-ns-${NS}`);
  await expect(async () => {
    await overview.part("overview-refresh").click();
    await expect(nsCount).toHaveText("1", { timeout: 2_000 });
    await expect(gwCount).toHaveText("1", { timeout: 2_000 });
  }).toPass({ timeout: 150_000, intervals: [5_000] });
  await expect(gwCount).toHaveAttribute("href", `/gateway?environment=${ENV}&namespace=${NS}&issues=error`);
  const total = overview.part(`validation-mesh-${ENV}-errors`);
  expect(Number(await total.innerText())).toBeGreaterThanOrEqual(1);
  await expect(nsCount).toHaveAttribute("href", `/mesh?environment=${ENV}&ns=${NS}&badge=error`);
  await expect(total).toHaveAttribute("href", new RegExp(`^/mesh\\?environment=${ENV}&ns=[a-z0-9-]+&badge=error$`));
  await expect(overview.part("overview-validation-history")).toBeVisible();

  for (const locale of ["en", "zh-CN"] as const) {
    for (const theme of ["light", "dark"] as const) {
      await setCookie(page, "switchyard.locale", locale);
      await setCookie(page, "switchyard.theme", theme);
      await overview.goto({ environment: ENV, range: "1h" });
      await expect(overview.part("overview-validation")).toHaveAttribute("data-state", "ready");
      await expect(nsCount).toHaveText("1");
      if (locale === "zh-CN") await expect(overview.part("overview-validation")).toContainText("命名空间");
      await overview.part("overview-validation").scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenPath(`overview-validation-${locale === "en" ? "en" : "zh"}-${theme}.png`), fullPage: true });
    }
  }
  await setCookie(page, "switchyard.locale", "en");
  await setCookie(page, "switchyard.theme", "light");

  // The number opens the mesh list of that namespace, filtered to objects with errors: the object is there.
  await overview.goto({ environment: ENV, range: "1h" });
  await nsCount.click();
  await expect(page).toHaveURL(new RegExp(`/mesh\\?environment=${ENV}&ns=${NS}&badge=error$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(ENV);
  await expect(page.getByTestId("mesh-filter-badge")).toHaveValue("error");
  const table = page.getByTestId("mesh-table");
  await expect(table).toContainText(VS);
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await page.screenshot({ path: screenPath("overview-validation-mesh-list.png"), fullPage: true });

  // The gateway number opens the route list of that namespace, filtered to HTTPRoutes with errors: the route is there, alone.
  await overview.goto({ environment: ENV, range: "1h" });
  await gwCount.click();
  await expect(page).toHaveURL(new RegExp(`/gateway\\?environment=${ENV}&namespace=${NS}&issues=error$`));
  await expect(page.getByTestId("routes-issues")).toHaveValue("error");
  const routes = page.getByTestId("routes-table");
  await expect(routes).toContainText(ROUTE);
  await expect(routes.locator("tbody tr")).toHaveCount(1);
  await page.screenshot({ path: screenPath("overview-validation-gateway-list.png"), fullPage: true });
});
