import { expect, test, type Page } from "@playwright/test";
import { expectSignInRefused, signInFresh } from "../fixtures/accounts";
import { expectOneOutcome } from "../fixtures/audit-api";
import { screenPath } from "../fixtures/screens";
import { ldapGroupDn, signInAsAdmin } from "../fixtures/sign-in";
import { AccessAdmin } from "../pages/access-admin";
import { AccessPage } from "../pages/access-page";
import { AuditPage } from "../pages/audit-page";

// Each test sets up what it needs: one failing never keeps the others from running.

// Unique per run: the console's database is fresh per run, but nothing here may depend on that.
const run = Date.now().toString(36);

async function bindingId(page: Page, subject: string, role: string): Promise<string> {
  const res = await page.request.get("/api/v1/access/bindings");
  expect(res.status()).toBe(200);
  const found = ((await res.json()) as Array<{ id: string; subject: string; role: string }>).filter((b) => b.subject === subject && b.role === role);
  expect(found, `binding ${subject} → ${role}`).toHaveLength(1);
  return found[0]!.id;
}

test("admin creates a group binding and removes it in Access; the audit log has both, in the explorer and the API", async ({ page }) => {
  const dn = ldapGroupDn(`e2e-binding-${run}`);
  await signInAsAdmin(page);
  const admin = new AccessAdmin(page);
  await admin.goto();
  await new AccessPage(page).bindGroup(dn, "developer");
  const id = await bindingId(page, dn, "developer");
  await page.screenshot({ path: screenPath("access-binding-added.png"), fullPage: true });

  await admin.removeBinding(dn, "developer", "group");
  // Gone from the store, not only from the table.
  const left = (await (await page.request.get("/api/v1/access/bindings")).json()) as Array<{ id: string }>;
  expect(left.map((b) => b.id)).not.toContain(id);
  await page.reload();
  await expect(page.getByTestId("bindings-table").or(page.getByText("Nothing here yet."))).toBeVisible();
  await expect(admin.bindingRows(dn)).toHaveCount(0);

  // The API: one succeeded outcome for each, by admin, carrying what was granted and removed.
  const created = await expectOneOutcome(page.request, "access.binding.create", `group:${dn}→developer`);
  expect(created).toMatchObject({ actorName: "admin", targetKind: "role_binding", after: { id, subjectKind: "group", subject: dn, role: "developer" } });
  // The removal is named readably — subject, role, scope — and keeps the id.
  const removed = await expectOneOutcome(page.request, "access.binding.delete", `group:${dn}→developer (env *, ns *; id ${id})`);
  expect(removed).toMatchObject({ actorName: "admin", targetKind: "role_binding", before: { id, subject: dn, role: "developer" } });

  // The explorer shows the same two outcomes.
  const audit = new AuditPage(page);
  await audit.goto();
  await audit.filterByAction("access.binding.*");
  const outcomes = audit.rows().filter({ hasText: "succeeded" });
  await expect(outcomes.filter({ hasText: "access.binding.delete" }).filter({ hasText: id })).toHaveCount(1);
  await expect(outcomes.filter({ hasText: "access.binding.create" }).filter({ hasText: `group:${dn}→developer` })).toHaveCount(1);
  await page.screenshot({ path: screenPath("access-binding-audit.png"), fullPage: true });
});

test("a disabled account can no longer sign in, and its open session ends", async ({ page, browser }) => {
  const username = `e2e-dis-${run}`;
  const password = `disable-me-password-${run}`;
  await signInAsAdmin(page);
  const admin = new AccessAdmin(page);
  await admin.goto();
  await admin.createLocalAccount(username, "To be disabled", password);

  // Before: the account signs in with this very password (no role: the no-access page).
  const before = await signInFresh(browser, username, password);
  await expect(before.page.getByTestId("no-access")).toBeVisible();

  await admin.disableUser(username);
  await page.screenshot({ path: screenPath("access-user-disabled.png"), fullPage: true });

  // After: the same password is refused like a wrong one, and the open session is gone.
  await expectSignInRefused(browser, username, password);
  expect((await before.page.request.get("/api/v1/me")).status()).toBe(401);
  await before.context.close();

  const users = (await (await page.request.get("/api/v1/access/users")).json()) as Array<{ id: string; username: string; disabled: boolean }>;
  const user = users.find((u) => u.username === username)!;
  expect(user.disabled).toBe(true);
  const row = await expectOneOutcome(page.request, "access.user.disable", user.id);
  expect(row).toMatchObject({ actorName: "admin", before: { disabled: false }, after: { disabled: true } });
});

test("a local user changes their own password in Settings: the new one signs in, the old one is refused", async ({ page, browser }) => {
  const username = `e2e-pw-${run}`;
  const oldPassword = `first-password-${run}`;
  const newPassword = `second-password-${run}`;
  await signInAsAdmin(page);
  const admin = new AccessAdmin(page);
  await admin.goto();
  await admin.createLocalAccount(username, "Changes own password", oldPassword);
  // Settings is behind the console shell: a role (viewer) is needed to reach it.
  await admin.bindUser(username, "viewer");

  const user = await signInFresh(browser, username, oldPassword);
  await user.page.goto("/settings");
  await expect(user.page.getByRole("heading", { name: "Change password" })).toBeVisible();
  await user.page.locator("#currentPassword").fill(oldPassword);
  await user.page.locator("#newPassword").fill(newPassword);
  await user.page.locator("form", { has: user.page.locator("#currentPassword") }).getByRole("button", { name: "Save" }).click();
  await expect(user.page.getByRole("status").filter({ hasText: "Password changed." })).toBeVisible();
  await user.page.screenshot({ path: screenPath("settings-password-changed.png"), fullPage: true });
  // The session that changed it stays signed in.
  expect((await user.page.request.get("/api/v1/me")).status()).toBe(200);
  await user.context.close();

  const again = await signInFresh(browser, username, newPassword);
  await again.context.close();
  await expectSignInRefused(browser, username, oldPassword);

  await expectOneOutcome(page.request, "profile.password.change", username);
});

test("a user creates an API token; an admin revokes it from Access; the token then gets 401", async ({ page, browser, playwright, baseURL }) => {
  const username = `e2e-tok-${run}`;
  const password = `token-owner-password-${run}`;
  const tokenName = `nightly-${run}`;
  await signInAsAdmin(page);
  const admin = new AccessAdmin(page);
  await admin.goto();
  await admin.createLocalAccount(username, "Has a token", password);
  await admin.bindUser(username, "viewer");

  // The user mints a token in Settings and a script uses it.
  const user = await signInFresh(browser, username, password);
  await user.page.goto("/settings");
  await expect(user.page.getByTestId("tokens-table").or(user.page.getByText("No tokens yet."))).toBeVisible();
  await user.page.getByTestId("token-name").fill(tokenName);
  await user.page.getByTestId("token-create").click();
  const token = (await user.page.getByTestId("token-secret").textContent())!.trim();
  expect(token).toMatch(/^sy_/);
  await user.context.close();

  const script = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  try {
    const me = await script.get("/api/v1/me");
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({ username });

    // The admin picks the user in "Who can do what" and sees the token (never its secret).
    await admin.goto();
    await admin.pickUser(username);
    await expect(page.getByTestId("effective-table")).toContainText("profile.write");
    await expect(admin.userTokenRow(tokenName)).toHaveCount(1);
    await expect(page.getByTestId("user-tokens-table")).not.toContainText(token.slice(-16));
    await page.screenshot({ path: screenPath("access-user-tokens.png"), fullPage: true });
    await admin.revokeUserToken(tokenName);
    await page.screenshot({ path: screenPath("access-user-token-revoked.png"), fullPage: true });

    const after = await script.get("/api/v1/me");
    expect(after.status()).toBe(401);
    expect(await after.json()).toMatchObject({ code: "UNAUTHENTICATED" });
  } finally {
    await script.dispose();
  }

  // Audited as the admin's revocation of that token.
  const tokens = (await (await page.request.get(`/api/v1/access/users/${await userId(page, username)}/tokens`)).json()) as Array<{ id: string; name: string; revokedAt: string | null }>;
  const revoked = tokens.find((t) => t.name === tokenName)!;
  expect(revoked.revokedAt).not.toBeNull();
  expect(await expectOneOutcome(page.request, "access.token.revoke", revoked.id)).toMatchObject({ actorName: "admin" });
});

async function userId(page: Page, username: string): Promise<string> {
  const users = (await (await page.request.get("/api/v1/access/users")).json()) as Array<{ id: string; username: string }>;
  return users.find((u) => u.username === username)!.id;
}
