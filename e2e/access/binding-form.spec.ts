/**
 * Issue #11, the Access form, against the stack's real slapd: a group is looked up by name and
 * bound by its DN (a plain name is refused on the field, before any confirmation); the form
 * clears after the binding is created; the kind selector's "LDAP group (DN)" is not cut off;
 * the signed-in admin's own account offers no Disable.
 */
import { expect, test } from "@playwright/test";
import { screensInEveryLook } from "../fixtures/screens";
import { ldapGroupDn, signInAsAdmin } from "../fixtures/sign-in";
import { AccessPage } from "../pages/access-page";

const run = Date.now().toString(36);
const selector = `tier=form-${run}`;

test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signInAsAdmin(page);
  const all = (await (await page.request.get("/api/v1/access/bindings")).json()) as Array<{ id: string; environmentSelector: string }>;
  for (const b of all.filter((x) => x.environmentSelector === selector)) await page.request.delete(`/api/v1/access/bindings/${b.id}`, { headers: { origin: new URL(page.url()).origin } });
  await page.close();
});

test("a group is found by name and bound by its DN; the form clears after; no Disable on one's own account", async ({ page }) => {
  await signInAsAdmin(page);
  await new AccessPage(page).goto();
  const form = page.getByRole("form", { name: "Add binding" });

  // The kind selector shows its whole label.
  const kind = page.getByTestId("binding-kind");
  await expect(kind).toHaveValue("group");
  const fits = await kind.evaluate((el: HTMLSelectElement) => {
    const probe = document.createElement("span");
    probe.style.cssText = `font:${getComputedStyle(el).font};position:absolute;visibility:hidden;white-space:nowrap`;
    probe.textContent = el.selectedOptions[0]!.text;
    document.body.appendChild(probe);
    const text = probe.getBoundingClientRect().width;
    probe.remove();
    return text <= el.clientWidth;
  });
  expect(fits, "the 'LDAP group (DN)' option fits its selector").toBe(true);

  // A name is not a DN: said on the field, and nothing can be confirmed.
  const subject = page.getByTestId("binding-subject");
  await subject.fill("platform-ops");
  await expect(page.getByTestId("binding-subject-problem")).toContainText("A group is bound by its DN");
  await expect(page.getByTestId("binding-add")).toBeDisabled();

  // Looked up by name in the directory: picking it fills the DN.
  await page.getByTestId("group-lookup").fill("platform");
  const match = page.getByTestId("group-matches").getByRole("button", { name: /platform-ops/ });
  await expect(match).toBeVisible();
  await match.click();
  await expect(subject).toHaveValue(ldapGroupDn("platform-ops"));
  await expect(page.getByTestId("binding-subject-problem")).toHaveCount(0);
  await form.getByLabel("Environment selector").fill(selector);
  await page.getByTestId("binding-add").click();
  await expect(page.getByTestId("confirm-diff")).toContainText(`+ group ${ldapGroupDn("platform-ops")} → viewer [env ${selector}, ns *]`);
  await page.getByTestId("confirm-action").click();
  await expect(page.getByTestId("confirm-dialog")).toHaveCount(0);
  await expect(page.getByTestId("bindings-table")).toContainText(selector);
  // The form is empty again for the next binding.
  await expect(subject).toHaveValue("");
  await expect(form.getByLabel("Environment selector")).toHaveValue("");
  await expect(page.getByTestId("group-lookup")).toHaveValue("");

  // The admin's own account: Reset password, but no Disable.
  const own = page.getByTestId("users-table").getByRole("row", { name: /\(admin\)/ });
  await expect(own.getByRole("button", { name: "Reset password" })).toBeVisible();
  await expect(own.getByRole("button", { name: "Disable" })).toHaveCount(0);

  await screensInEveryLook(page, "access-page", async () => {
    await expect(page.getByTestId("bindings-table")).toBeVisible();
  });
});
