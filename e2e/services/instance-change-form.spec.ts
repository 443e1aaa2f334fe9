/**
 * Issue #11, the three dangerous defects of the Services page, on the stack's real Nacos:
 * 1. the weight field rewrote what was typed ("" → 0, "-5" → 5, "abc" → 0) and offered it;
 * 2. instances outside the DEFAULT cluster were never shown;
 * 3. after a change the screen kept the old value and said nothing.
 */
import { expect, test, type Page } from "@playwright/test";
import { loadStackEnv } from "../../lib/testing/peers";
import { call, instance, ok, registerInstance } from "../fixtures/nacos-api";
import { signInAsAdmin } from "../fixtures/sign-in";

test.describe.configure({ mode: "serial" });

const stack = loadStackEnv();
const run = Date.now().toString(36);
const envName = `forms-${run}`;
const service = `forms-svc-${run}`;
const nacosUrl = () => {
  const u = stack.SWITCHYARD_TEST_NACOS_URL;
  if (!u) throw new Error("peer nacos is not running: no .stack/nacos.env");
  return u;
};
// Ports that answer Nacos's TCP health check (its own HTTP and console ports), and one that does not.
const healthyA = Number(new URL(nacosUrl()).port);
const healthyB = Number(new URL(stack.SWITCHYARD_TEST_NACOS_CONSOLE_URL ?? nacosUrl()).port);
const dead = 9;

async function register(port: number, clusterName: string): Promise<void> {
  await registerInstance({ service, port, clusterName });
}

/** What Nacos itself holds for one instance. */
async function inNacos(port: number, clusterName: string) {
  return instance(service, port, "", clusterName);
}

async function openService(page: Page): Promise<void> {
  await page.context().addCookies([{ name: "switchyard.env", value: envName, url: new URL(page.url()).origin }]);
  await page.goto("/services");
  await page.getByTestId("service-search").fill(service);
  await page.getByTestId("services-table").getByRole("row", { name: new RegExp(service) }).click();
  await expect(page.getByTestId("instances-table")).toBeVisible();
}

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signInAsAdmin(page);
  const created = await page.request.post("/api/v1/environments", {
    headers: { origin: new URL(page.url()).origin },
    data: {
      name: envName,
      labels: { tier: "dev" },
      registry: { kind: "nacos", url: nacosUrl(), username: stack.SWITCHYARD_TEST_NACOS_USERNAME, password: stack.SWITCHYARD_TEST_NACOS_PASSWORD, namespaces: [""] },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  await register(healthyA, "DEFAULT");
  await register(healthyB, "hz-b");
  await register(dead, "hz-b");
  await page.close();
});

test("every cluster's instances are shown, grouped by cluster with trouble first (#11.2)", async ({ page }) => {
  await signInAsAdmin(page);
  await openService(page);
  await expect(page.getByTestId("cluster-DEFAULT")).toContainText(`127.0.0.1:${healthyA}`);
  // hz-b appears once Nacos's detail lists the cluster (a moment after registration).
  await expect(async () => {
    await openService(page);
    await expect(page.getByTestId("cluster-hz-b")).toContainText(`127.0.0.1:${dead}`, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("cluster-hz-b")).toContainText(`127.0.0.1:${healthyB}`);
  await page.screenshot({ path: "test-results/screens/service-clusters.png", fullPage: true });
});

test("the weight field never rewrites what was typed; weight 0 needs a second confirmation (#11.1)", async ({ page }) => {
  await signInAsAdmin(page);
  await openService(page);
  await page.getByTestId(`weight-${healthyA}`).click();
  const input = page.getByTestId("weight-input");
  const confirm = page.getByTestId("confirm-action");
  const problem = page.getByTestId("weight-problem");

  await input.fill("");
  await expect(input).toHaveValue("");
  await expect(problem).toHaveText("Enter a weight.");
  await expect(confirm).toBeDisabled();

  await input.fill("-5");
  await expect(input).toHaveValue("-5");
  await expect(problem).toBeVisible();
  await expect(confirm).toBeDisabled();
  await expect(page.getByTestId("confirm-diff")).not.toContainText("+ weight: 5");

  await input.fill("abc");
  await expect(input).toHaveValue("abc");
  await expect(problem).toBeVisible();
  await expect(confirm).toBeDisabled();
  await expect(page.getByTestId("confirm-diff")).not.toContainText("+ weight: 0");
  await page.screenshot({ path: "test-results/screens/service-weight-invalid.png", fullPage: true });

  // Weight 0 stops traffic: Confirm waits for an explicit acknowledgement.
  await input.fill("0");
  await expect(problem).toHaveCount(0);
  await expect(page.getByTestId("stops-traffic")).toBeVisible();
  await expect(confirm).toBeDisabled();
  await page.getByTestId("stops-traffic-ack").check();
  await expect(confirm).toBeEnabled();

  await input.fill("3");
  await expect(page.getByTestId("stops-traffic")).toHaveCount(0);
  await expect(page.getByTestId("confirm-diff")).toContainText("+ weight: 3");
  await confirm.click();
  await expect(page.getByTestId("confirm-dialog")).toHaveCount(0);
  expect((await inNacos(healthyA, "DEFAULT"))?.weight).toBe(3);
});

test("after a change the page says so and shows the new value without a reload (#11.3)", async ({ page }) => {
  test.setTimeout(150_000);
  await signInAsAdmin(page);
  await openService(page);
  await page.getByTestId(`weight-${healthyA}`).click();
  await page.getByTestId("weight-input").fill("4");
  await page.getByTestId("confirm-action").click();
  await expect(page.getByTestId("change-notice")).toContainText("Saved");
  await expect(page.getByTestId(`instance-127.0.0.1-${healthyA}`).locator("td").nth(1)).toHaveText("4");
  expect((await inNacos(healthyA, "DEFAULT"))?.weight).toBe(4);

  // Disabling one of two healthy instances needs no acknowledgement; the last one does.
  await page.getByTestId(`toggle-${healthyB}`).click();
  await expect(page.getByTestId("stops-traffic")).toHaveCount(0);
  await page.getByTestId("confirm-action").click();
  await expect(page.getByTestId("change-notice")).toContainText("disabled");
  await expect(page.getByTestId(`instance-127.0.0.1-${healthyB}`).locator("td").nth(3)).toHaveText("—");
  expect((await inNacos(healthyB, "hz-b"))?.enabled).toBe(false);

  // Nacos's TCP check marks the dead port unhealthy after a few rounds; then A is the last one.
  await expect.poll(async () => (await inNacos(dead, "hz-b"))?.healthy, { timeout: 90_000 }).toBe(false);
  await openService(page);
  await page.getByTestId(`toggle-${healthyA}`).click();
  await expect(page.getByTestId("stops-traffic")).toContainText("last healthy");
  await expect(page.getByTestId("confirm-action")).toBeDisabled();
  await page.screenshot({ path: "test-results/screens/service-last-healthy.png", fullPage: true });
  await page.getByRole("button", { name: "Cancel" }).click();
  expect((await inNacos(healthyA, "DEFAULT"))?.enabled).toBe(true);
});

/** Changes an instance's weight in Nacos behind the console's back (another operator, another tool). */
async function setWeightInNacos(port: number, clusterName: string, weight: number): Promise<void> {
  const now = await inNacos(port, clusterName);
  const params = { serviceName: service, groupName: "DEFAULT_GROUP", namespaceId: "", ip: "127.0.0.1", port: String(port), cluster: clusterName, weight: String(weight), enabled: String(now?.enabled ?? true) };
  ok(await call<string>("PUT", "/v3/admin/ns/instance/partial", params), "set weight");
  await expect.poll(async () => (await inNacos(port, clusterName))?.weight, { timeout: 10_000 }).toBe(weight);
}

test("a change made from a stale view is refused with what Nacos has now, and can be reapplied on it (#12)", async ({ page }) => {
  await signInAsAdmin(page);
  await openService(page);
  await expect(page.getByTestId(`instance-127.0.0.1-${healthyA}`).locator("td").nth(1)).toHaveText("4");
  await page.getByTestId(`weight-${healthyA}`).click();
  await page.getByTestId("weight-input").fill("6");

  // Meanwhile someone else sets weight 7.
  await setWeightInNacos(healthyA, "DEFAULT", 7);
  await page.getByTestId("confirm-action").click();
  const conflict = page.getByTestId("change-conflict");
  await expect(conflict).toContainText("weight: 7");
  await page.screenshot({ path: "test-results/screens/service-conflict.png", fullPage: true });
  expect((await inNacos(healthyA, "DEFAULT"))?.weight).toBe(7); // nothing overwritten

  // Reapplying compares against the fresh values: the diff now reads 7 → 6.
  await page.getByTestId("change-reapply").click();
  await expect(page.getByTestId("confirm-diff")).toContainText("- weight: 7");
  await expect(page.getByTestId("confirm-diff")).toContainText("+ weight: 6");
  await page.getByTestId("confirm-action").click();
  await expect(page.getByTestId("change-notice")).toContainText("Saved");
  expect((await inNacos(healthyA, "DEFAULT"))?.weight).toBe(6);
});
