import { expect, type Locator, type Page } from "@playwright/test";

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Settings → Access as an admin drives it: accounts, user bindings, removals, disabling and
 * revoking someone's API token — each through its confirmation dialog, checking what the
 * dialog says it will do before confirming.
 */
export class AccessAdmin {
  constructor(private readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/settings/access");
    await expect(this.page.getByTestId("bindings-table")).toBeVisible();
    await expect(this.page.getByTestId("users-table")).toBeVisible();
  }

  private async confirm(expectedDiff: string[]): Promise<void> {
    const dialog = this.page.getByTestId("confirm-dialog");
    await expect(dialog).toBeVisible();
    for (const line of expectedDiff) await expect(this.page.getByTestId("confirm-diff")).toContainText(line);
    await this.page.getByTestId("confirm-action").click();
    await expect(dialog).toHaveCount(0);
  }

  /** The row of a user in the accounts table, by exact username. */
  userRow(username: string): Locator {
    return this.page.getByTestId("users-table").getByRole("row", { name: new RegExp(`\\(${escapeRe(username)}\\)`) });
  }

  /** The rows of the bindings table that name this subject (user name or group DN). */
  bindingRows(subjectName: string): Locator {
    return this.page.getByTestId("bindings-table").locator("tbody tr").filter({ hasText: subjectName });
  }

  async createLocalAccount(username: string, displayName: string, password: string): Promise<void> {
    const form = this.page.getByRole("form", { name: "New local account" });
    await form.getByLabel("Username").fill(username);
    await form.getByLabel("Display name").fill(displayName);
    await form.getByLabel("Password").fill(password);
    await form.getByRole("button", { name: "New local account" }).click();
    await this.confirm([`+ local account ${username} (${displayName}), no role yet`]);
    await expect(this.userRow(username)).toBeVisible();
  }

  /** Binds a role to a user account (subject kind "user"), scope * / *. */
  async bindUser(username: string, role: string): Promise<void> {
    await this.page.getByTestId("binding-kind").selectOption("user");
    const form = this.page.getByRole("form", { name: "Add binding" });
    await form.locator('select[name="subject"]').selectOption({ label: `${username} (local)` });
    await this.page.getByTestId("binding-role").selectOption(role);
    await this.page.getByTestId("binding-add").click();
    await this.confirm([`+ user ${username} → ${role} [env *, ns *]`]);
    await expect(this.bindingRows(username).filter({ hasText: role })).toHaveCount(1);
  }

  /** Removes the one binding of this subject and role; it is gone from the table afterwards. */
  async removeBinding(subjectName: string, role: string, kind: "user" | "group"): Promise<void> {
    const row = this.bindingRows(subjectName).filter({ hasText: role });
    await expect(row).toHaveCount(1);
    await row.getByRole("button", { name: "Remove" }).click();
    await this.confirm([`- ${kind} ${subjectName} → ${role} [env *, ns *]`]);
    await expect(this.bindingRows(subjectName)).toHaveCount(0);
  }

  async disableUser(username: string): Promise<void> {
    const row = this.userRow(username);
    await row.getByRole("button", { name: "Disable" }).click();
    await this.confirm([`- ${username}: enabled`, `+ ${username}: disabled (sessions ended, API tokens revoked)`]);
    await expect(row).toContainText("disabled");
    await expect(row.getByRole("button", { name: "Enable" })).toBeVisible();
  }

  /** "Who can do what": picks a user; their API tokens are listed below their permissions. */
  async pickUser(username: string, source: "local" | "ldap" = "local"): Promise<void> {
    await this.page.getByTestId("who-user").selectOption({ label: `${username} (${source})` });
  }

  userTokenRow(tokenName: string): Locator {
    return this.page.getByTestId("user-tokens-table").getByRole("row").filter({ has: this.page.getByRole("cell", { name: tokenName, exact: true }) });
  }

  /** Revokes the picked user's token by name from "Who can do what". */
  async revokeUserToken(tokenName: string): Promise<void> {
    const row = this.userTokenRow(tokenName);
    await expect(row).toHaveCount(1);
    await row.getByRole("button", { name: "Revoke" }).click();
    await this.confirm([`- token ${tokenName}: active`, `+ token ${tokenName}: revoked`]);
    await expect(row).toContainText("revoked");
    await expect(row.getByRole("button", { name: "Revoke" })).toHaveCount(0);
  }
}
