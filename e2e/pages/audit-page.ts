import { expect, type Page } from "@playwright/test";

export class AuditPage {
  constructor(private readonly page: Page) {}

  /** Opens the log, filtered by `filters` the way a link from the overview does (URL parameters). */
  async goto(filters: Record<string, string> = {}): Promise<void> {
    const q = new URLSearchParams(filters).toString();
    await this.page.goto(q ? `/audit?${q}` : "/audit");
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
