/**
 * The header's menus (components/ui/dropdown.tsx): the user menu opens from the keyboard at its
 * first item, arrows move between items, Escape closes it and gives focus back to its button;
 * the environment and language choices are native selects with their names.
 */
import { expect, test } from "@playwright/test";
import { screenPath } from "../fixtures/screens";
import { signInAsAdmin } from "../fixtures/sign-in";

test("the user menu is keyboard-friendly: ArrowDown opens it, arrows move, Escape closes and returns focus", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/settings");
  const button = page.getByTestId("user-menu");
  await button.focus();
  await page.keyboard.press("ArrowDown");
  await expect(button).toHaveAttribute("aria-expanded", "true");
  const items = page.getByRole("menu").locator('[role="menuitem"],[role="menuitemradio"]');
  await expect(items).toHaveCount(4);
  await expect(items.first()).toBeFocused();
  await page.screenshot({ path: screenPath("header-user-menu.png") });

  await page.keyboard.press("ArrowDown");
  await expect(items.nth(1)).toBeFocused();
  await page.keyboard.press("End");
  await expect(page.getByTestId("sign-out")).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(items.first()).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await expect(page.getByTestId("sign-out")).toBeFocused();

  await page.keyboard.press("Escape");
  await expect(page.getByRole("menu")).toHaveCount(0);
  await expect(button).toHaveAttribute("aria-expanded", "false");
  await expect(button).toBeFocused();

  // A click opens it too; a click outside closes it.
  await button.click();
  await expect(page.getByRole("menu")).toBeVisible();
  await page.locator("main").click({ position: { x: 5, y: 5 } });
  await expect(page.getByRole("menu")).toHaveCount(0);

  await expect(page.getByRole("combobox", { name: "Environment" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Language" }).first()).toBeVisible();
});
