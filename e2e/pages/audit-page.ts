import { expect, type Page } from "@playwright/test";

export class AuditPage {
  constructor(private readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/audit");
    await expect(this.page.getByTestId("audit-table")).toBeVisible();
  }

  async filterByAction(action: string): Promise<void> {
    const field = this.page.getByLabel(/^Action$/);
    await field.fill(action);
    await field.press("Enter");
  }

  rows() {
    return this.page.getByTestId("audit-table").locator("tbody tr");
  }

  detail() {
    return this.page.getByTestId("audit-detail");
  }
}
