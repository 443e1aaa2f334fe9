import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { createNamespace, deleteNamespace, deregisterInstance, registerInstance } from "../fixtures/nacos-api";
import { screenPath, screensInEveryLook } from "../fixtures/screens";
import { signInAsAdmin } from "../fixtures/sign-in";
import { startConfigProbe } from "../../lib/testing/nacos-config-client";
import { loadStackEnv } from "../../lib/testing/peers";
import { ConfigsPage } from "../pages/configs-page";
import { LoginPage } from "../pages/login-page";

/**
 * Issue #13 end to end in Chromium on the stack's real Nacos: edit → diff → publish; a second
 * tab that saved first produces the conflict view and "reload and reapply"; a gray release by
 * label selector with its status, then promote; a viewer sees no edit control and gets 403 from
 * the API. Screenshots of the list, editor, diff, conflict and gray pages in both languages.
 */
const run = randomBytes(3).toString("hex");
const NS = `e2e-cfg-${run}`;
const ENV = `cfg-${run}`;
const G = "DEFAULT_GROUP";
const APP = `app-${run}.yaml`;
const SVC = `cfg-svc-${run}`;
const USER_PASSWORD = `viewer-pass-${run}-Q7`;
const instances = [
  { ip: "127.0.0.2", version: "v2" },
  { ip: "127.0.0.3", version: "v1" },
];

const origin = (page: Page) => ({ origin: new URL(page.url()).origin });

async function api(page: Page, method: "GET" | "POST" | "PUT", path: string, data?: unknown) {
  const res = await page.request.fetch(path, { method, headers: origin(page), data });
  return { status: res.status(), body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

test.describe.configure({ mode: "serial" });
// Each look (two languages × two themes) reloads and redoes the step it shows.
test.setTimeout(240_000);

test.beforeAll(async ({ browser }) => {
  await createNamespace(NS);
  for (const i of instances) await registerInstance({ namespace: NS, service: SVC, ip: i.ip, port: 8080, metadata: { version: i.version } });
  const page = await (await browser.newContext()).newPage();
  await signInAsAdmin(page);
  const stack = loadStackEnv();
  const env = await api(page, "POST", "/api/v1/environments", {
    name: ENV,
    labels: { tier: "dev" },
    registry: { kind: "nacos", url: stack.SWITCHYARD_TEST_NACOS_URL, username: stack.SWITCHYARD_TEST_NACOS_USERNAME, password: stack.SWITCHYARD_TEST_NACOS_PASSWORD, namespaces: [NS] },
  });
  expect(env.status, JSON.stringify(env.body)).toBe(201);
  for (const [dataId, type, content] of [
    [APP, "yaml", "server:\n  port: 8080\nfeature:\n  enabled: false\n"],
    [`db-${run}.properties`, "properties", "db.url=jdbc:mysql://db:3306/app\ndb.pool=10\n"],
    [`limits-${run}.json`, "json", '{"rps": 100}'],
  ]) {
    const r = await api(page, "POST", `/api/v1/environments/${ENV}/configs`, { namespace: NS, group: G, dataId, type, content });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
  const u = await api(page, "POST", "/api/v1/access/users", { username: `viewer-${run}`, displayName: "Viewer", password: USER_PASSWORD });
  expect(u.status).toBe(201);
  expect((await api(page, "POST", "/api/v1/access/bindings", { subjectKind: "user", subject: u.body.id, role: "viewer", environmentSelector: "*" })).status).toBe(201);
  await page.context().close();
});

test.afterAll(async () => {
  for (const i of instances) await deregisterInstance({ namespace: NS, service: SVC, ip: i.ip, port: 8080 }).catch(() => undefined);
  await deleteNamespace(NS).catch(() => undefined);
});

test("the list searches, filters and links to a config; edit → diff → publish reaches Nacos", async ({ page }) => {
  await signInAsAdmin(page);
  await page.context().addCookies([{ name: "switchyard.env", value: ENV, url: new URL(page.url()).origin }]);
  const configs = new ConfigsPage(page);
  await configs.gotoList(NS);
  await expect(configs.row(APP)).toBeVisible();
  await page.getByTestId("configs-type").selectOption("json");
  await expect(configs.table().locator("tbody tr")).toHaveCount(1);
  await expect(configs.row(`limits-${run}.json`)).toBeVisible();
  await page.getByTestId("configs-type").selectOption("");
  await page.getByTestId("configs-match").selectOption("exact");
  await page.getByTestId("configs-search-dataid").fill(`app-${run}`);
  await expect(page.getByTestId("configs-table")).toHaveCount(0);
  await page.getByTestId("configs-search-dataid").fill(APP);
  await expect(configs.table().locator("tbody tr")).toHaveCount(1);
  await page.getByTestId("configs-match").selectOption("contains");
  await page.getByTestId("configs-search-dataid").fill(run);
  await expect(configs.table().locator("tbody tr")).toHaveCount(3);
  await screensInEveryLook(page, "configs-list", async () => {
    await expect(page.getByTestId("configs-table").locator("tbody tr")).toHaveCount(3);
  });
  await configs.row(APP).getByRole("link", { name: APP }).click();
  await expect(page.getByTestId("config-title")).toHaveText(APP);

  await expect(configs.editor().locator(".cm-content")).toContainText("port: 8080");
  // Malformed YAML: the problem is named with line and column (gutter too) and Publish stays disabled.
  await configs.setContent("server:\n  port: [8080\nfeature: x\n");
  await expect(page.getByTestId("config-problems")).toContainText(/line \d+, column \d+/);
  await expect(configs.editor()).not.toHaveAttribute("data-diagnostics", "0");
  await expect(configs.publishButton()).toBeDisabled();
  await screensInEveryLook(page, "configs-editor", async () => {
    await expect(configs.editor().locator(".cm-content")).toContainText("port: 8080");
    await configs.setContent("server:\n  port: [8080\nfeature: x\n");
    await expect(configs.editor().locator(".cm-lint-marker").first()).toBeVisible();
  });
  await screensInEveryLook(page, "configs-diff", async () => {
    await expect(configs.editor().locator(".cm-content")).toContainText("port: 8080");
    await configs.setContent("server:\n  port: 9090\nfeature:\n  enabled: false\n");
    await configs.publishButton().click();
    await expect(configs.dialog().getByTestId("confirm-diff")).toContainText("port: 9090");
  });
  await configs.setContent("server:\n  port: 9090\nfeature:\n  enabled: false\n");
  await configs.publishButton().click();
  await expect(configs.dialog().getByTestId("confirm-diff")).toContainText("port: 8080");
  await configs.confirm();
  await expect(page.getByTestId("config-published")).toBeVisible();
  const detail = await api(page, "GET", `/api/v1/environments/${ENV}/configs/${G}/${APP}?namespace=${NS}`);
  expect((detail.body.formal as { content: string }).content).toBe("server:\n  port: 9090\nfeature:\n  enabled: false\n");
});

/** Publishes `content` through the API as another editor would, on top of what is published now. */
async function publishElsewhere(page: Page, content: string): Promise<void> {
  const now = await api(page, "GET", `/api/v1/environments/${ENV}/configs/${G}/${APP}?namespace=${NS}`);
  const r = await api(page, "PUT", `/api/v1/environments/${ENV}/configs/${G}/${APP}?namespace=${NS}`, { type: "yaml", content, casMd5: (now.body.formal as { md5: string }).md5 });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

test("a second tab that saved first produces the conflict view; reload and reapply publishes on top of it", async ({ page, context }) => {
  await signInAsAdmin(page);
  const configs = new ConfigsPage(page);
  await configs.gotoConfig(ENV, NS, G, APP);
  let n = 0;
  await screensInEveryLook(page, "configs-conflict", async () => {
    await expect(configs.editor().locator(".cm-content")).toContainText("port:");
    await publishElsewhere(page, `server:\n  port: 9090\nfeature:\n  enabled: true\nlook: ${++n}\n`);
    await configs.setContent("server:\n  port: 7070\nfeature:\n  enabled: false\n");
    await configs.publishButton().click();
    await configs.confirm();
    await expect(page.getByTestId("conflict-view")).toBeVisible();
  });

  await expect(configs.editor().locator(".cm-content")).toContainText(`look: ${n}`);
  // The other tab loads the same version and publishes first.
  const other = await context.newPage();
  const second = new ConfigsPage(other);
  await second.gotoConfig(ENV, NS, G, APP);
  await expect(second.editor().locator(".cm-content")).toContainText(`look: ${n}`);
  await second.setContent("server:\n  port: 9090\nfeature:\n  enabled: true\nextra: 1\n");
  await second.publishButton().click();
  await second.confirm();
  await expect(other.getByTestId("config-published")).toBeVisible();
  await other.close();

  await configs.setContent("server:\n  port: 7070\nfeature:\n  enabled: true\n");
  await configs.publishButton().click();
  await configs.confirm();
  await expect(page.getByTestId("conflict-view")).toBeVisible();
  await expect(page.getByTestId("conflict-theirs")).toContainText("extra: 1");
  await expect(page.getByTestId("conflict-mine")).toContainText("port: 7070");
  await page.getByTestId("conflict-reapply").click();
  // The diff is shown again, now against their version: it would drop "extra: 1".
  await expect(configs.dialog().getByTestId("confirm-diff")).toContainText("extra: 1");
  await configs.confirm();
  await expect(page.getByTestId("config-published")).toBeVisible();
  const detail = await api(page, "GET", `/api/v1/environments/${ENV}/configs/${G}/${APP}?namespace=${NS}`);
  expect((detail.body.formal as { content: string }).content).toBe("server:\n  port: 7070\nfeature:\n  enabled: true\n");
});

test("a gray release by label selector: resolved IPs before confirming, status, then promote", async ({ page }) => {
  await signInAsAdmin(page);
  const configs = new ConfigsPage(page);
  await configs.gotoConfig(ENV, NS, G, APP);
  await expect(configs.editor().locator(".cm-content")).toContainText("port: 7070");
  await configs.setContent("server:\n  port: 7070\nfeature:\n  enabled: true\ncanary: yes\n");
  // Two applications on the official Nacos SDK listen to the config, at the two instances' IPs.
  const probes = await Promise.all(instances.map((i) => startConfigProbe(NS, i.ip)));
  for (const p of probes) await p.listen(APP, G);
  await page.getByTestId("config-start-gray").click();
  await expect(page.getByTestId("gray-panel")).toBeVisible();
  await page.getByTestId("gray-kind").selectOption("labels");
  await page.getByTestId("gray-service").fill(SVC);
  await page.getByTestId("gray-selector").fill("version=v2");
  await expect(page.getByTestId("gray-start")).toBeDisabled();
  await page.getByTestId("gray-resolve").click();
  await expect(page.getByTestId("gray-resolved")).toContainText("127.0.0.2");
  await expect(page.getByTestId("gray-resolved")).not.toContainText("127.0.0.3");
  await page.getByTestId("gray-start").click();
  await expect(configs.dialog()).toContainText("127.0.0.2");
  await configs.confirm();
  await expect(page.getByTestId("gray-done")).toBeVisible();
  const status = await api(page, "GET", `/api/v1/environments/${ENV}/configs/${G}/${APP}/gray?namespace=${NS}`);
  expect(status.body.betaIps).toEqual(["127.0.0.2"]);
  await expect(page.getByTestId("gray-count")).toHaveText("1 of 2 listening instances on gray", { timeout: 20_000 });
  await expect(page.locator('[data-testid="gray-listener"][data-holds="gray"]')).toContainText("127.0.0.2");
  await expect(page.locator('[data-testid="gray-listener"][data-holds="formal"]')).toContainText("127.0.0.3");
  await screensInEveryLook(page, "configs-gray", async () => {
    await configs.tab("gray").click();
    await expect(page.getByTestId("gray-listeners")).toBeVisible();
    await expect(page.getByTestId("gray-promote")).toBeVisible();
  });
  await configs.tab("gray").click();
  await page.getByTestId("gray-promote").click();
  await expect(configs.dialog().getByTestId("confirm-diff")).toContainText("canary: yes");
  await configs.confirm();
  await expect(page.getByTestId("gray-done")).toBeVisible();
  const after = await api(page, "GET", `/api/v1/environments/${ENV}/configs/${G}/${APP}?namespace=${NS}`);
  expect((after.body.formal as { content: string }).content).toContain("canary: yes");
  expect(after.body.beta).toBeNull();
  expect(after.body.gray).toBeNull();
  // The application outside the gray was told of the promoted content.
  await probes[1]!.next((e) => e.event === "change" && (e.content ?? "").includes("canary: yes"));
  await Promise.all(probes.map((p) => p.stop()));
});

test("a viewer sees no edit control and the API answers 403", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(`viewer-${run}`, USER_PASSWORD, "local");
  await expect(page).toHaveURL(/\/overview$/);
  const configs = new ConfigsPage(page);
  await configs.gotoConfig(ENV, NS, G, APP);
  await expect(configs.editor().locator(".cm-content")).toContainText("canary: yes");
  await expect(configs.publishButton()).toHaveCount(0);
  await expect(page.getByTestId("config-delete")).toHaveCount(0);
  await expect(configs.editor().locator(".cm-content")).toHaveAttribute("contenteditable", "false");
  // Reading is allowed: the same config in the public namespace (where it does not exist), side by side.
  await configs.tab("compare").click();
  await page.getByTestId("compare-ns").fill("public");
  await page.getByTestId("compare-run").click();
  await expect(page.getByTestId("compare-diff")).toContainText("canary: yes");
  await page.screenshot({ path: screenPath("configs-compare-en-light.png"), fullPage: true });
  const refused = await api(page, "PUT", `/api/v1/environments/${ENV}/configs/${G}/${APP}?namespace=${NS}`, { type: "yaml", content: "x: 1\n", casMd5: "0".repeat(32) });
  expect(refused.status).toBe(403);
  await context.close();
});
