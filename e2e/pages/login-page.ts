import { expect, type Page } from "@playwright/test";

export class LoginPage {
  constructor(private readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/login");
    await expect(this.page.getByRole("button", { name: /sign in|登录/i })).toBeVisible();
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.page.locator("#username").fill(username);
    await this.page.locator("#password").fill(password);
    await this.page.locator("#password").press("Enter"); // keyboard, as people do
  }

  error() {
    return this.page.getByTestId("login-error");
  }
}
