import { expect, type Page } from "@playwright/test";

export class ConsoleShell {
  constructor(private readonly page: Page) {}

  async expectSignedIn(): Promise<void> {
    await expect(this.page).toHaveURL(/\/overview$/);
    await expect(this.page.getByTestId("user-menu")).toBeVisible();
  }

  async switchLanguage(locale: "en" | "zh-CN"): Promise<void> {
    await this.page.getByTestId("language-switch").selectOption(locale);
  }

  nav() {
    return this.page.getByRole("navigation");
  }

  async signOut(): Promise<void> {
    await this.page.getByTestId("user-menu").click();
    await this.page.getByTestId("sign-out").click();
    await expect(this.page).toHaveURL(/\/login/);
  }
}
