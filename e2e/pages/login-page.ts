import { expect, type Page } from "@playwright/test";

export class LoginPage {
  constructor(private readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/login");
    // Enabled once hydrated: only then does Enter go through the app's own submit.
    await expect(this.page.getByTestId("sign-in")).toBeEnabled();
  }

  async signIn(username: string, password: string, source: "ldap" | "local" = "local"): Promise<void> {
    const radio = this.page.getByTestId(`source-${source}`);
    if (await radio.count()) await radio.check();
    await this.page.locator("#username").fill(username);
    await this.page.locator("#password").fill(password);
    await this.page.locator("#password").press("Enter"); // keyboard, as people do
  }

  error() {
    return this.page.getByTestId("login-error");
  }
}
