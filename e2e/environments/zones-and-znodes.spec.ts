import { expect, test } from "@playwright/test";
import { loadStackEnv } from "../../lib/testing/peers";
import { registerNacosInstance } from "../fixtures/nacos";
import { signInAsAdmin } from "../fixtures/sign-in";

test.describe.configure({ mode: "serial" });

async function createEnvironment(page: import("@playwright/test").Page, body: Record<string, unknown>) {
  const res = await page.request.post("/api/v1/environments", { headers: { origin: new URL(page.url()).origin }, data: body });
  expect([201, 409]).toContain(res.status());
}

test("two zones of one site: the service once with both zones, then disabled everywhere with a per-zone outcome", async ({ page }) => {
  const stack = loadStackEnv();
  const nacos = { kind: "nacos", url: stack.SWITCHYARD_TEST_NACOS_URL, username: stack.SWITCHYARD_TEST_NACOS_USERNAME, password: stack.SWITCHYARD_TEST_NACOS_PASSWORD, namespaces: [""] };
  const service = `payments-${Date.now().toString(36)}`;
  await registerNacosInstance(service, 7070, 1);
  await signInAsAdmin(page);
  await createEnvironment(page, { name: "prod-sh-a", labels: { tier: "prod", site: "sh", zone: "a" }, registry: nacos });
  await createEnvironment(page, { name: "prod-sh-b", labels: { tier: "prod", site: "sh", zone: "b" }, registry: nacos });

  await page.goto("/services/zones");
  await page.getByTestId("site-select").selectOption("sh");
  await page.getByTestId("zones-search").fill(service);
  const row = page.getByTestId(`zones-row-${service}`);
  await expect(row).toBeVisible({ timeout: 20_000 });
  await row.click();
  await expect(page.getByTestId("zones-detail")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/zones.png", fullPage: true });

  await page.getByTestId("zones-detail").getByRole("button", { name: /disable/i }).first().click();
  await expect(page.getByTestId("confirm-dialog")).toBeVisible();
  await page.getByTestId("confirm-action").click();
  await expect(page.getByTestId("zones-outcome")).toBeVisible();
  await expect(page.getByTestId("zones-outcome-a")).toContainText("✓");
  await expect(page.getByTestId("zones-outcome-b")).toContainText("✓");
  await page.screenshot({ path: "test-results/screens/zones-outcome.png", fullPage: true });
});

test("the znode browser shows a ZooKeeper environment's tree to an admin", async ({ page }) => {
  const stack = loadStackEnv();
  await signInAsAdmin(page);
  await createEnvironment(page, { name: "legacy-dubbo", labels: { tier: "prod", site: "bj" }, registry: { kind: "zookeeper", hosts: stack.SWITCHYARD_TEST_ZK_HOSTS, layout: "dubbo", root: "/" } });
  await page.goto("/overview");
  await page.getByTestId("environment-switch").selectOption("legacy-dubbo");
  await page.goto("/services/znodes");
  await expect(page.getByTestId("znode-children")).toContainText("zookeeper", { timeout: 20_000 });
  await expect(page.getByTestId("znode-stat")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/znodes.png", fullPage: true });
});
