import { expect, test } from "@playwright/test";
import { loadStackEnv } from "../../lib/testing/peers";
import { signInAsAdmin } from "../fixtures/sign-in";

test("admin registers an environment on the real Nacos, confirms it, and tests the connection", async ({ page }) => {
  const stack = loadStackEnv();
  const url = stack.SWITCHYARD_TEST_NACOS_URL;
  if (!url) throw new Error("peer nacos is not running: no .stack/nacos.env");
  await signInAsAdmin(page);
  await page.goto("/settings/environments");
  // The list is fetched by the hydrated page: once it shows, buttons have their handlers.
  await expect(page.getByText("No environments yet. An admin registers them here.")).toBeVisible();
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
  await expect(page.getByTestId("environments-table")).toContainText("nacosPassword");
  await expect(page.getByTestId("environments-table")).not.toContainText(stack.SWITCHYARD_TEST_NACOS_PASSWORD!);
  await page.getByTestId("env-test-prod-hz-j").click();
  await expect(page.getByTestId("env-verdicts-prod-hz-j")).toContainText(/✓ nacos: Nacos .*answered/);
  await page.screenshot({ path: "test-results/screens/environments.png", fullPage: true });

  // The header switcher now offers it.
  await expect(page.getByTestId("environment-switch")).toContainText("prod-hz-j");
});
