/**
 * Issue #11: a user with no binding saw "no role is bound to you yet" and a sidebar of pages
 * that all refused. Now the page says why (their LDAP groups — none bound) and whom to ask (the
 * admins, by name, from the bindings), with no sidebar. dave is in no LDAP group (seed.ldif);
 * the console's first admin is bound admin at start.
 */
import { expect, test } from "@playwright/test";
import { screensInEveryLook } from "../fixtures/screens";
import { signInWithLdap } from "../fixtures/sign-in";

test("a user with no role sees why and whom to ask, and no sidebar of pages they cannot open", async ({ page }) => {
  await signInWithLdap(page, "dave");
  const panel = page.getByTestId("no-access");
  await expect(panel).toContainText("no role binding matches your account or any of your groups");
  await expect(page.getByTestId("no-access-groups")).toContainText("The directory lists you in no group.");
  await expect(page.getByTestId("no-access-admins")).toContainText("Ask an admin");
  await expect(page.getByTestId("no-access-admins").getByRole("listitem")).toContainText([/admin/]);
  await expect(page.getByRole("navigation", { name: "Main navigation" })).toHaveCount(0);
  expect((await page.request.get("/api/v1/audit/verify")).status()).toBe(403);

  const shots = await screensInEveryLook(page, "no-access", async () => {
    await expect(panel).toBeVisible();
  });
  expect(shots).toHaveLength(4);
  await expect(page.getByRole("navigation", { name: "Main navigation" })).toHaveCount(0);
});
