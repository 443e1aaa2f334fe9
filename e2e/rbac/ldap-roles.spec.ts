import { expect, test } from "@playwright/test";
import { expectSignInRefused, signInFresh } from "../fixtures/accounts";
import { screenPath } from "../fixtures/screens";
import { ldapGroupDn, signInAsAdmin, signInWithLdap } from "../fixtures/sign-in";
import { AccessPage } from "../pages/access-page";

test.describe.configure({ mode: "serial" });

test("admin binds LDAP groups to roles, with a confirmation that shows the change", async ({ page, browser }) => {
  await signInAsAdmin(page);
  const access = new AccessPage(page);
  await access.goto();
  await access.bindGroup(ldapGroupDn("platform-ops"), "operator");
  await access.bindGroup(ldapGroupDn("auditors"), "auditor");
  await page.screenshot({ path: screenPath("access.png"), fullPage: true });

  // A break-glass account: created, its password reset, both confirmed first.
  const accounts = page.getByRole("form", { name: "New local account" });
  await accounts.getByLabel("Username").fill("oncall");
  await accounts.getByLabel("Display name").fill("On-call break-glass");
  await accounts.getByLabel("Password").fill("on-call-password-1");
  await accounts.getByRole("button", { name: "New local account" }).click();
  await expect(page.getByTestId("confirm-diff")).toContainText("+ local account oncall");
  await page.getByTestId("confirm-action").click();
  const row = page.getByTestId("users-table").getByRole("row", { name: /\(oncall\)/ });
  await expect(row).toBeVisible();

  // The first password works before the reset: a refusal afterwards is the reset's doing.
  const before = await signInFresh(browser, "oncall", "on-call-password-1");

  await row.getByRole("button", { name: "Reset password" }).click();
  await expect(page.getByTestId("confirm-diff")).toContainText("+ oncall: new password, every session ended, every API token revoked");
  await page.getByTestId("reset-password-input").fill("on-call-password-2");
  await page.getByTestId("confirm-action").click();
  await expect(page.getByTestId("confirm-dialog")).toHaveCount(0);

  // Verified by signing in, not by the dialog closing: the new password works, the old one
  // gets the plain sign-in error, and the session opened with the old one has ended.
  const after = await signInFresh(browser, "oncall", "on-call-password-2");
  await after.context.close();
  await expectSignInRefused(browser, "oncall", "on-call-password-1");
  expect((await before.page.request.get("/api/v1/me")).status()).toBe(401);
  await before.context.close();
});

test("alice signs in through LDAP and gets operator from her group", async ({ page }) => {
  await signInWithLdap(page, "alice");
  await page.getByTestId("user-menu").click();
  await expect(page.getByTestId("user-roles")).toContainText("operator");
  await page.keyboard.press("Escape");
  await page.goto("/settings");
  await expect(page.getByTestId("manage-access")).toHaveCount(0);
});

test("carol (auditor) sees no mutating control, and a direct mutating call is refused", async ({ page }) => {
  await signInWithLdap(page, "carol");
  await page.goto("/settings/access");
  await expect(page.getByTestId("bindings-table")).toBeVisible();
  await expect(page.getByTestId("binding-add")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Remove" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Disable" })).toHaveCount(0);
  await page.screenshot({ path: screenPath("access-auditor.png"), fullPage: true });

  const res = await page.request.post("/api/v1/access/bindings", {
    headers: { origin: new URL(page.url()).origin },
    data: { subjectKind: "group", subject: ldapGroupDn("auditors"), role: "admin" },
  });
  expect(res.status()).toBe(403);
  expect(await res.json()).toMatchObject({ code: "FORBIDDEN" });
});

test("dave, in no mapped group, sees a plain no-access page", async ({ page }) => {
  await signInWithLdap(page, "dave");
  await expect(page.getByTestId("no-access")).toBeVisible();
  expect((await page.request.get("/api/v1/audit/verify")).status()).toBe(403);
});

test("a token is created, used from a script, revoked, then refused", async ({ page, playwright, baseURL }) => {
  await signInWithLdap(page, "alice");
  await page.goto("/settings");
  // Rendered by the hydrated page: from here the form submits through the app.
  await expect(page.getByTestId("tokens-table").or(page.getByText("No tokens yet."))).toBeVisible();
  await page.getByTestId("token-name").fill("deploy-script");
  await page.getByTestId("token-create").click();
  const token = (await page.getByTestId("token-secret").textContent())!.trim();
  expect(token).toMatch(/^sy_/);
  await page.screenshot({ path: screenPath("token-created.png"), fullPage: true });

  const script = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const me = await script.get("/api/v1/me");
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ username: "alice" });

  await page.getByTestId("revoke-deploy-script").click();
  await expect(page.getByTestId("confirm-diff")).toContainText("revoked");
  await page.getByTestId("confirm-action").click();
  await expect(page.getByTestId("tokens-table")).toContainText("revoked");

  expect((await script.get("/api/v1/me")).status()).toBe(401);
  await script.dispose();
});
