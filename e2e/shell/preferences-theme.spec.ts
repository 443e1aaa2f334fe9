/**
 * Issue #11: the theme could be changed only in the header's user menu. Settings → Preferences
 * now has it beside the language; the choice applies at once and holds after a reload.
 */
import { expect, test } from "@playwright/test";
import { screenPath } from "../fixtures/screens";
import { signInAsAdmin } from "../fixtures/sign-in";

test("the theme is chosen in Settings → Preferences and holds after a reload", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/settings");
  const theme = page.getByTestId("theme-switch");
  await expect(theme).toBeVisible();
  await theme.selectOption("dark");
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await expect(page.getByTestId("theme-switch")).toHaveValue("dark");
  await page.screenshot({ path: screenPath("settings-preferences-dark.png"), fullPage: true });
  await page.getByTestId("theme-switch").selectOption("light");
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
  await page.reload();
  await expect(page.getByTestId("theme-switch")).toHaveValue("light");
});
