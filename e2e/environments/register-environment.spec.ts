import { expect, test } from "@playwright/test";
import { loadStackEnv } from "../../lib/testing/peers";
import { registerNacosInstance } from "../fixtures/nacos";
import { screenPath } from "../fixtures/screens";
import { ldapGroupDn, signInAsAdmin, signInWithLdap } from "../fixtures/sign-in";

test.describe.configure({ mode: "serial" });

test("admin registers an environment on the real Nacos, confirms it, and tests the connection", async ({ page }) => {
  const stack = loadStackEnv();
  const url = stack.SWITCHYARD_TEST_NACOS_URL;
  if (!url) throw new Error("peer nacos is not running: no .stack/nacos.env");
  await signInAsAdmin(page);
  await page.goto("/settings/environments");
  // The list is fetched by the hydrated page: once it shows, buttons have their handlers. Other
  // specs of the same run may have left environments: the list or its empty state will do.
  await expect(page.getByTestId("environments-table").or(page.getByText("No environments yet. An admin registers them here."))).toBeVisible();
  await page.getByTestId("env-new").click();
  await page.getByTestId("env-name").fill("prod-hz-j");
  await page.getByTestId("env-labels").fill("tier=prod,site=hz,zone=j");
  await page.getByTestId("env-nacos-url").fill(url);
  await page.getByTestId("env-nacos-user").fill(stack.SWITCHYARD_TEST_NACOS_USERNAME!);
  await page.getByTestId("env-nacos-password").fill(stack.SWITCHYARD_TEST_NACOS_PASSWORD!);
  await page.getByTestId("env-save").click();

  // The confirmation shows what will be stored, and never the password itself.
  const diff = page.getByTestId("confirm-diff");
  await expect(diff).toContainText('"name": "prod-hz-j"');
  await expect(diff).toContainText("•••• (new value)");
  await expect(diff).not.toContainText(stack.SWITCHYARD_TEST_NACOS_PASSWORD!);
  await page.getByTestId("confirm-action").click();

  await expect(page.getByTestId("environments-table")).toContainText("prod-hz-j");
  // Which credentials are stored, in words — never their values.
  await expect(page.getByTestId("environments-table")).toContainText("Nacos password");
  await expect(page.getByTestId("environments-table")).not.toContainText(stack.SWITCHYARD_TEST_NACOS_PASSWORD!);
  await page.getByTestId("env-test-prod-hz-j").click();
  await expect(page.getByTestId("env-verdicts-prod-hz-j")).toContainText(/✓ nacos: Nacos .*answered/);
  await page.screenshot({ path: screenPath("environments.png"), fullPage: true });

  // The header switcher now offers it.
  await expect(page.getByTestId("environment-switch")).toContainText("prod-hz-j");
});

test("an operator changes a weight through the confirmation dialog; the audit record shows before and after", async ({ page, browser }) => {
  test.setTimeout(150_000);
  const service = `checkout-${Date.now().toString(36)}`;
  await registerNacosInstance(service, 9090, 1);

  // Admin grants platform-ops the operator role (alice is in platform-ops in the directory).
  await signInAsAdmin(page);
  const bind = await page.request.post("/api/v1/access/bindings", {
    headers: { origin: new URL(page.url()).origin },
    data: { subjectKind: "group", subject: ldapGroupDn("platform-ops"), role: "operator" },
  });
  expect(bind.status()).toBe(201);

  const alice = await browser.newPage();
  await signInWithLdap(alice, "alice");
  // The environment by name: specs before this one (configs) add environments the header may default to.
  await alice.goto("/services?environment=prod-hz-j");
  await alice.getByTestId("service-search").fill(service);
  const row = alice.getByTestId("services-table").getByRole("row", { name: new RegExp(service) });
  await expect(row).toBeVisible({ timeout: 20_000 });
  // Sorted server-side across the namespace; the unhealthy chip keeps it once Nacos' own TCP
  // check has found nothing listening on 9090 (it takes Nacos a few checks): auto-refresh on.
  await alice.getByTestId("sort-instances").click();
  await expect(alice.getByTestId("sort-instances")).toContainText("▼");
  await alice.getByLabel("Auto-refresh").check();
  await alice.getByTestId("filter-unhealthy").click();
  await expect(alice.getByTestId("filter-unhealthy")).toHaveAttribute("aria-pressed", "true");
  await expect(row).toBeVisible({ timeout: 75_000 });
  await alice.getByLabel("Auto-refresh").uncheck();
  // A link with ?environment=…&unhealthy=true (the overview's unhealthy counts) opens that
  // environment's list already filtered, whatever the header had chosen.
  await alice.goto("/services?environment=prod-hz-j&unhealthy=true");
  await expect(alice.getByRole("heading", { level: 1 })).toContainText("prod-hz-j");
  await expect(alice.getByTestId("filter-unhealthy")).toHaveAttribute("aria-pressed", "true");
  await alice.getByTestId("service-search").fill(service);
  await expect(row).toBeVisible({ timeout: 20_000 });
  await row.click();
  await expect(alice.getByTestId("subscribers")).toContainText("No client subscribes");
  await alice.screenshot({ path: screenPath("services.png"), fullPage: true });
  await alice.getByTestId("weight-9090").click();
  await alice.getByTestId("weight-input").fill("5");
  await expect(alice.getByTestId("confirm-diff")).toContainText("- weight: 1");
  await expect(alice.getByTestId("confirm-diff")).toContainText("+ weight: 5");
  await alice.screenshot({ path: screenPath("services-confirm.png"), fullPage: true });
  await alice.getByTestId("confirm-action").click();
  await expect(alice.getByTestId("confirm-dialog")).toHaveCount(0);

  // The audit log (alice sees her own actions) records the change with before and after.
  await alice.goto("/audit");
  await alice.getByLabel(/^Action$/).fill("service.instance.update");
  await alice.getByLabel(/^Action$/).press("Enter");
  const outcome = alice.getByTestId("audit-table").locator("tbody tr").filter({ hasText: "succeeded" }).first();
  await outcome.click();
  await expect(alice.getByTestId("audit-diff")).toContainText('-   "weight": 1');
  await expect(alice.getByTestId("audit-diff")).toContainText('+   "weight": 5');
  await alice.screenshot({ path: screenPath("services-audit.png"), fullPage: true });
  await alice.close();
});
