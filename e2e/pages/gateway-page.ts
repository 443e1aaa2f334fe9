import { expect, type Locator, type Page } from "@playwright/test";

/**
 * /gateway: routes of the chosen environment's cluster, the route map, and one route's page
 * (/gateway/routes/<env>/<namespace>/<name>) with its zones, canary controls and editor.
 */
export class GatewayPage {
  constructor(private readonly page: Page) {}

  async gotoRoutes(): Promise<void> {
    await this.page.goto("/gateway");
    await expect(this.page.getByTestId("routes-table").or(this.page.getByText(/No route/))).toBeVisible({ timeout: 20_000 });
  }

  async gotoNew(environment: string): Promise<void> {
    await this.page.goto(`/gateway/routes/${encodeURIComponent(environment)}/new`);
    await expect(this.page.getByTestId("route-editor")).toBeVisible();
  }

  async gotoRoute(environment: string, namespace: string, name: string, edit = false): Promise<void> {
    await this.page.goto(`/gateway/routes/${encodeURIComponent(environment)}/${namespace}/${name}${edit ? "?edit=1" : ""}`);
    await expect(this.page.getByTestId("issues").or(this.page.getByTestId("issues-none"))).toBeVisible({ timeout: 20_000 });
  }

  routeRow(name: string): Locator {
    return this.page.locator(`[data-testid="route-row"][data-route="${name}"]`);
  }

  zoneRow(zone: string): Locator {
    return this.page.locator(`[data-testid="zone-row"][data-zone="${zone}"]`);
  }

  /** Confirms the open dialog after checking its diff shows each of `lines`; waits for it to close. */
  async confirm(lines: Array<string | RegExp> = []): Promise<void> {
    const dialog = this.page.getByTestId("confirm-dialog");
    await expect(dialog).toBeVisible();
    for (const l of lines) await expect(this.page.getByTestId("confirm-diff")).toContainText(l);
    await this.page.getByTestId("confirm-action").click();
    await expect(dialog).toHaveCount(0, { timeout: 20_000 });
  }

  async canary(step: "next" | "back"): Promise<void> {
    await this.page.getByTestId(`canary-${step}`).click();
  }
}
