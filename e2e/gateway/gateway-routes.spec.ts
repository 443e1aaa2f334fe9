/**
 * The gateway area end to end (issue #15), against the stack's real Kubernetes API server and
 * Nacos: an operator creates a route with a header match, a Kubernetes Service and "service S in
 * every zone of a site" (two zones, each its own Nacos namespace), runs a 90/10 canary up to 50/50
 * and back one step, drains zone j and restores it — each through a preview and a confirmation,
 * each checked in what the API server itself holds, each an audited write. A viewer and a
 * developer bound to tier=prod see no write control and are refused by the API. Screenshots of
 * the route list, editor, route map and drain in both languages, light and dark.
 */
import { expect, test, type Page } from "@playwright/test";
import { signInFresh } from "../fixtures/accounts";
import { auditRows, chooseEnvironment, deleteEnvironments } from "../fixtures/console-api";
import { disableHealthCheck } from "../fixtures/nacos-api";
import { createNacosNamespace, dropNacosNamespace, nacosInstancesIn, registerNacosInstanceIn } from "../fixtures/nacos-namespaces";
import { screensInEveryLook } from "../fixtures/screens";
import { signInAsAdmin } from "../fixtures/sign-in";
import { loadStackEnv } from "../../lib/testing/peers";
import { GatewayPage } from "../pages/gateway-page";
import { deleteNamespaceObjects, k8sConnection, k8sRequest, routeWeights } from "./k8s";

test.describe.configure({ mode: "serial" });

const run = Date.now().toString(36);
const ns = `e2e-gw-${run}`;
const site = `e2e-gws-${run}`;
const ENV = `e2e-gw-${run}`;
const nsJ = `sy-e2e-gw-${run}-j`;
const nsK = `sy-e2e-gw-${run}-k`;
const service = `orders-${run}`;
const hostJ = `${service}.DEFAULT-GROUP.${nsJ}.nacos`;
const hostK = `${service}.DEFAULT-GROUP.${nsK}.nacos`;
const password = "gateway-e2e-password-1";
const users = { operator: `gwop-${run}`, viewer: `gwview-${run}`, developer: `gwdev-${run}` };
const instances = [
  { ns: nsJ, ip: "127.0.0.11" },
  { ns: nsJ, ip: "127.0.0.12" },
  { ns: nsK, ip: "127.0.0.21" },
  { ns: nsK, ip: "127.0.0.22" },
];

const origin = (page: Page) => ({ origin: new URL(page.url()).origin });

async function createUser(page: Page, username: string, role: string, environmentSelector = "*") {
  const res = await page.request.post("/api/v1/access/users", { headers: origin(page), data: { username, displayName: username, password } });
  expect(res.status(), await res.text()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  const b = await page.request.post("/api/v1/access/bindings", { headers: origin(page), data: { subjectKind: "user", subject: id, role, environmentSelector } });
  expect(b.status(), await b.text()).toBe(201);
}

test.beforeAll(async ({ browser }) => {
  await createNacosNamespace(nsJ);
  await createNacosNamespace(nsK);
  // Health check NONE: the instances keep the health they were registered with (nothing listens on them).
  for (const i of instances) {
    await registerNacosInstanceIn(i.ns, service, i.ip, 8080);
    await disableHealthCheck(service, i.ns);
  }
  for (const n of [nsJ, nsK]) await expect.poll(async () => (await nacosInstancesIn(n, service)).map((i) => i.healthy)).toEqual([true, true]);
  const page = await (await browser.newContext()).newPage();
  await signInAsAdmin(page);
  const stack = loadStackEnv();
  const k8s = k8sConnection();
  const nacos = { kind: "nacos", url: stack.SWITCHYARD_TEST_NACOS_URL, username: stack.SWITCHYARD_TEST_NACOS_USERNAME, password: stack.SWITCHYARD_TEST_NACOS_PASSWORD };
  for (const body of [
    { name: ENV, labels: { tier: "prod", site }, kubernetes: { apiUrl: k8s.url, caPem: k8s.ca, auth: "client-certificate", clientCertPem: k8s.cert, clientKeyPem: k8s.key } },
    { name: `${ENV}-j`, labels: { tier: "prod", site, zone: "j" }, registry: { ...nacos, namespaces: [nsJ] } },
    { name: `${ENV}-k`, labels: { tier: "prod", site, zone: "k" }, registry: { ...nacos, namespaces: [nsK] } },
  ]) {
    const res = await page.request.post("/api/v1/environments", { headers: origin(page), data: body });
    expect(res.status(), await res.text()).toBe(201);
  }
  // The gateway the route attaches to, through the console's own guarded apply.
  const gw = await page.request.put(`/api/v1/environments/${ENV}/gateway/objects/Gateway/${ns}/edge`, {
    headers: origin(page),
    data: { object: { metadata: { name: "edge" }, spec: { gatewayClassName: "higress", listeners: [{ name: "http", hostname: "*.example.com", port: 80, protocol: "HTTP" }] } }, resourceVersion: null },
  });
  expect(gw.status(), await gw.text()).toBe(201);
  await createUser(page, users.operator, "operator");
  await createUser(page, users.viewer, "viewer");
  await createUser(page, users.developer, "developer", "tier=prod");
  await page.context().close();
});

test.afterAll(async ({ browser }) => {
  await deleteNamespaceObjects(ns);
  await deleteEnvironments(browser, [ENV, `${ENV}-j`, `${ENV}-k`]);
  await dropNacosNamespace(nsJ, instances.filter((i) => i.ns === nsJ).map((i) => ({ serviceName: service, ip: i.ip, port: 8080 })));
  await dropNacosNamespace(nsK, instances.filter((i) => i.ns === nsK).map((i) => ({ serviceName: service, ip: i.ip, port: 8080 })));
});

test("an operator creates a route with a header match and a 90/10 canary, steps it to 50/50 and back, drains zone j and restores it", async ({ browser }) => {
  const { page, context } = await signInFresh(browser, users.operator, password);
  await chooseEnvironment(page, ENV);
  const gw = new GatewayPage(page);

  // Create: form → review (issues, dry run, diff) → confirm.
  await gw.gotoNew(ENV);
  await page.getByTestId("route-name").fill("shop");
  await page.getByTestId("route-namespace").fill(ns);
  await page.getByTestId("route-parents").fill("edge");
  await page.getByTestId("route-hostnames").fill("shop.example.com");
  await page.getByTestId("match-path").fill("/api");
  await page.getByTestId("add-headers").click();
  await page.getByTestId("headers-name").fill("x-canary");
  await page.getByTestId("headers-value").fill("always");
  await page.getByTestId("backend-name").first().fill("shop-v2");
  await page.getByTestId("backend-port").first().fill("8080");
  await page.getByTestId("backend-weight").first().fill("-5");
  await expect(page.getByTestId("backend-weight").first()).toHaveValue("-5");
  await expect(page.getByTestId("review-route")).toBeDisabled();
  await page.getByTestId("backend-weight").first().fill("10");
  // Service S in every zone of the site: one backend per zone, health from each zone's Nacos.
  await page.getByTestId("site-service").fill(service);
  await page.getByTestId("site-lookup").click();
  await expect(page.getByTestId("site-backend")).toContainText("2 / 2");
  await page.getByTestId("site-add").click();
  await expect(page.getByTestId("backend-name")).toHaveCount(3);
  await page.getByTestId("backend-weight").nth(1).fill("45");
  await page.getByTestId("backend-weight").nth(2).fill("45");
  await page.getByTestId("review-route").click();
  await expect(page.getByTestId("dry-run")).toContainText("accepted a dry run");
  await gw.confirm(["+ kind: HTTPRoute", "name: x-canary", `name: ${hostJ}`]);
  await expect(page).toHaveURL(new RegExp(`/gateway/routes/${ENV}/${ns}/shop$`));
  await expect.poll(() => routeWeights(ns, "shop")).toEqual({ "shop-v2": 10, [hostJ]: 45, [hostK]: 45 });

  // Zones: healthy / total from each registry.
  await gw.gotoRoute(ENV, ns, "shop");
  await expect(gw.zoneRow("j").getByTestId("zone-health")).toHaveText("2 / 2 healthy");
  await expect(gw.zoneRow("k").getByTestId("zone-weight")).toContainText("45 (50%)");

  // Canary: started on 90/10 (step 10%), then one click per step.
  await page.getByTestId("canary-pick-shop-v2").check();
  await page.getByTestId("canary-start").click();
  await gw.confirm();
  await expect(page.getByTestId("canary-steps").locator('[aria-current="step"]')).toHaveText("10%");
  await gw.canary("next");
  await gw.confirm(["+ shop-v2: 25 (25%)"]);
  await expect.poll(() => routeWeights(ns, "shop")).toEqual({ "shop-v2": 25, [hostJ]: 38, [hostK]: 37 });
  await gw.canary("next");
  await gw.confirm(["+ shop-v2: 50 (50%)"]);
  await expect.poll(() => routeWeights(ns, "shop")).toEqual({ "shop-v2": 50, [hostJ]: 25, [hostK]: 25 });
  await expect(page.getByTestId("canary-steps").locator('[aria-current="step"]')).toHaveText("50%");
  await gw.canary("back");
  await gw.confirm(["+ shop-v2: 25 (25%)"]);
  await expect.poll(() => routeWeights(ns, "shop")).toEqual({ "shop-v2": 25, [hostJ]: 38, [hostK]: 37 });

  // Drain zone j: its weight moves to k; restore gives it back.
  await page.getByTestId("drain-j").click();
  await gw.confirm([`- ${service} @ j: 38`, `+ ${service} @ j: 0 (0%)`, `+ ${service} @ k: 75 (100%)`]);
  await expect.poll(() => routeWeights(ns, "shop")).toEqual({ "shop-v2": 25, [hostJ]: 0, [hostK]: 75 });
  await expect(gw.zoneRow("j")).toContainText("drained");
  await page.getByTestId("restore-j").click();
  await gw.confirm([`+ ${service} @ j: 38`]);
  await expect.poll(() => routeWeights(ns, "shop")).toEqual({ "shop-v2": 25, [hostJ]: 38, [hostK]: 37 });

  // Every step above is one audited write with its own revision.
  const rows = (await auditRows(page, { action: "gateway.route.write" })).filter((r) => r.phase === "outcome" && r.targetName === "shop" && r.environment === ENV);
  expect(rows.map((r) => r.outcome)).toEqual(Array(7).fill("succeeded"));
  await expect(page.getByTestId("revisions").locator("li")).toHaveCount(7);
  await context.close();
});

test("the YAML tab shows the stored route and a schema error comes back at its path and line; nothing is written", async ({ browser }) => {
  const { page, context } = await signInFresh(browser, users.operator, password);
  await chooseEnvironment(page, ENV);
  const gw = new GatewayPage(page);
  await gw.gotoRoute(ENV, ns, "shop", true);
  const before = await routeWeights(ns, "shop");
  await page.getByTestId("editor-tab-yaml").click();
  const content = page.getByTestId("route-yaml").locator(".cm-content");
  await expect(content).toContainText("kind: HTTPRoute");
  const yaml = await content.innerText();
  const lines = yaml.split("\n");
  const at = lines.findIndex((l) => /^\s+weight: 25$/.test(l));
  expect(at, yaml).toBeGreaterThan(0);
  lines[at] = lines[at]!.replace("25", "many");
  await content.fill(lines.join("\n"));
  await page.getByTestId("validate-yaml").click();
  const issues = page.getByTestId("issues");
  await expect(issues).toContainText("weight");
  await expect(issues).toContainText(`line ${at + 1}`);
  expect(await routeWeights(ns, "shop")).toEqual(before);
  await context.close();
});

test("an operator creates an Istio Gateway from the Gateways page through preview and confirmation; the API server holds it", async ({ browser }) => {
  const { page, context } = await signInFresh(browser, users.operator, password);
  await chooseEnvironment(page, ENV);
  await page.goto("/gateway/gateways");
  await expect(page.getByText(`${ns}/edge`)).toBeVisible({ timeout: 20_000 });
  await page.getByTestId("new-gateway").click();
  await page.getByTestId("object-yaml-editor").getByRole("combobox").first().selectOption("IstioGateway");
  await page.getByTestId("gw-namespace").fill(ns);
  await expect(page.getByTestId("gateway-yaml").locator(".cm-content")).toContainText("networking.istio.io/v1");
  await page.getByTestId("gw-review").click();
  await new GatewayPage(page).confirm(["+ kind: Gateway", "+   name: edge"]);
  await expect(page.getByText("Istio Gateway")).toBeVisible();
  const stored = await k8sRequest<{ spec: { servers: Array<{ hosts: string[] }> } }>("GET", `/apis/networking.istio.io/v1/namespaces/${ns}/gateways/edge`);
  expect(stored.status).toBe(200);
  expect(stored.body.spec.servers[0]!.hosts).toEqual(["*.example.com"]);
  await context.close();
});

test("screenshots of the route list, editor, route map and drain, in both languages, light and dark", async ({ browser }) => {
  // Sixteen page loads in four looks: more than the default minute on a busy machine.
  test.setTimeout(240_000);
  const { page, context } = await signInFresh(browser, users.operator, password);
  await chooseEnvironment(page, ENV);
  const gw = new GatewayPage(page);
  await gw.gotoRoutes();
  await screensInEveryLook(page, "gateway-routes", () => expect(gw.routeRow("shop")).toBeVisible());
  await gw.gotoRoute(ENV, ns, "shop", true);
  await screensInEveryLook(page, "gateway-editor", () => expect(page.getByTestId("route-editor")).toBeVisible());
  await page.goto("/gateway/map");
  await screensInEveryLook(page, "gateway-map", () => expect(page.locator('[data-testid="map-route"][data-route="shop"]')).toBeVisible());
  await gw.gotoRoute(ENV, ns, "shop");
  await screensInEveryLook(page, "gateway-drain", async () => {
    await page.getByTestId("drain-k").click();
    await expect(page.getByTestId("confirm-dialog")).toBeVisible();
  });
  await context.close();
});

for (const who of ["viewer", "developer"] as const) {
  test(`a ${who === "viewer" ? "viewer" : "developer bound to tier=prod"} sees no write control and the API refuses a drain (403); nothing changes`, async ({ browser }) => {
    const { page, context } = await signInFresh(browser, users[who], password);
    await chooseEnvironment(page, ENV);
    const gw = new GatewayPage(page);
    await gw.gotoRoute(ENV, ns, "shop");
    await expect(gw.zoneRow("j")).toBeVisible();
    await expect(page.getByTestId("drain-j")).toHaveCount(0);
    await expect(page.getByTestId("canary-next")).toHaveCount(0);
    await expect(page.getByTestId("edit-route")).toHaveCount(0);
    const before = await routeWeights(ns, "shop");
    const detail = (await (await page.request.get(`/api/v1/environments/${ENV}/gateway/objects/HTTPRoute/${ns}/shop`)).json()) as { resourceVersion: string };
    const res = await page.request.post(`/api/v1/environments/${ENV}/gateway/routes/${ns}/shop/traffic`, { headers: origin(page), data: { action: "drain", zone: "j", resourceVersion: detail.resourceVersion } });
    expect(res.status(), await res.text()).toBe(403);
    expect(await routeWeights(ns, "shop")).toEqual(before);
    await context.close();
  });
}
