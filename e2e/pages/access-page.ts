import { expect, type Page } from "@playwright/test";

export class AccessPage {
  constructor(private readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/settings/access");
    await expect(this.page.getByTestId("bindings-table")).toBeVisible();
  }

  /** Adds a group binding through the form and its confirmation dialog. */
  async bindGroup(dn: string, role: string): Promise<void> {
    await this.page.getByTestId("binding-kind").selectOption("group");
    await this.page.getByTestId("binding-subject").fill(dn);
    await this.page.getByTestId("binding-role").selectOption(role);
    await this.page.getByTestId("binding-add").click();
    const dialog = this.page.getByTestId("confirm-dialog");
    await expect(dialog).toBeVisible();
    await expect(this.page.getByTestId("confirm-diff")).toContainText(`+ group ${dn} → ${role}`);
    await this.page.getByTestId("confirm-action").click();
    await expect(dialog).toBeHidden();
    await expect(this.page.getByTestId("bindings-table")).toContainText(dn);
  }
}
