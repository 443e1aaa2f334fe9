import { expect, test } from "@playwright/test";
import { signInAsAdmin } from "../fixtures/sign-in";
import { AuditPage } from "../pages/audit-page";

test("admin filters the audit log, opens an event with its diff, verifies the chain and exports", async ({ page }) => {
  await signInAsAdmin(page);
  // Something to see: a preference change records before and after.
  await page.getByTestId("language-switch").selectOption("zh-CN");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await page.getByTestId("language-switch").selectOption("en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");

  const audit = new AuditPage(page);
  await audit.goto();
  await audit.filterByAction("profile.preferences.update");
  await expect(audit.rows().first()).toContainText("profile.preferences.update");
  await expect(audit.rows().filter({ hasText: "session.sign_in" })).toHaveCount(0);

  // Keyboard: focus the newest outcome row and open it with Enter.
  const outcomeRow = audit.rows().filter({ hasText: "succeeded" }).first();
  await outcomeRow.focus();
  await outcomeRow.press("Enter");
  await expect(audit.detail()).toBeVisible();
  await expect(page.getByTestId("audit-diff")).toContainText('"locale"');
  await expect(audit.detail()).toContainText("Linked rows");

  await page.getByTestId("verify-chain").click();
  await expect(page.getByTestId("verify-result")).toContainText("Chain intact");
  await page.screenshot({ path: "test-results/screens/audit-detail.png", fullPage: true });

  await page.getByTestId("export-jsonl").click();
  await expect(page.getByTestId("download-jsonl")).toBeVisible();
  await expect(page.getByText(/Exported \d+ rows/)).toBeVisible();

  // Escape closes the detail.
  await page.keyboard.press("Escape");
  await expect(audit.detail()).toHaveCount(0);
});

test("a link with filters (as the overview's numbers give) opens the log filtered, the filters shown in the form; Reset clears them", async ({ page }) => {
  await signInAsAdmin(page);
  // A row the filter must hide: a preference change.
  await page.getByTestId("language-switch").selectOption("zh-CN");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await page.getByTestId("language-switch").selectOption("en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  const audit = new AuditPage(page);
  await audit.goto({ action: "session.sign_in", outcome: "succeeded" });
  await expect(page.getByLabel(/^Action$/)).toHaveValue("session.sign_in");
  await expect(page.locator('select[name="outcome"]')).toHaveValue("succeeded");
  await expect(audit.rows().first()).toContainText("session.sign_in");
  const texts = await audit.rows().allInnerTexts();
  expect(texts.length).toBeGreaterThan(0);
  for (const t of texts) {
    expect(t).toContain("session.sign_in");
    expect(t).toContain("succeeded");
  }
  await page.getByRole("button", { name: "Reset" }).click();
  await expect(page.getByLabel(/^Action$/)).toHaveValue("");
  await expect(audit.rows().filter({ hasNotText: "session.sign_in" }).first()).toBeVisible();
});
