import { expect, type Locator, type Page } from "@playwright/test";

/**
 * /services: the chosen environment's registry services; each row links to the service's own
 * page (/services/<env>/<namespace>/<group>/<service>) with its instances and the changes made
 * through the confirmation dialog.
 */
export class ServicesPage {
  constructor(private readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/services");
    await expect(this.page.getByRole("heading", { level: 1 })).toContainText("Services");
  }

  table(): Locator {
    return this.page.getByTestId("services-table");
  }

  rows(): Locator {
    return this.table().locator("tbody tr");
  }

  row(name: string): Locator {
    return this.rows().filter({ has: this.page.locator("td:first-child", { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }) });
  }

  async search(text: string): Promise<void> {
    await this.page.getByTestId("service-search").fill(text);
  }

  async selectNamespace(label: string): Promise<void> {
    await this.page.getByLabel("Namespace").selectOption({ label });
  }

  /** The pager's "Page n / m · total" text. */
  pager(): Locator {
    return this.page.getByRole("navigation", { name: "Page" });
  }

  next(): Locator {
    return this.pager().getByRole("button", { name: "Next" });
  }

  previous(): Locator {
    return this.pager().getByRole("button", { name: "Previous" });
  }

  banner(): Locator {
    return this.page.getByTestId("backend-banner");
  }

  exportButton(): Locator {
    return this.page.getByRole("button", { name: "Export CSV" });
  }

  /** Follows the row's link to the service's own page. */
  async open(name: string): Promise<void> {
    await this.row(name).getByRole("link", { name, exact: true }).click();
    await expect(this.page).toHaveURL(/\/services\/[^/]+\/[^/]+\/[^/]+\/[^/]+$/);
    await expect(this.title()).toHaveText(name);
    await expect(this.instances()).toBeVisible();
  }

  /** The service page itself, by its address. */
  async gotoService(environment: string, namespace: string, group: string, name: string): Promise<void> {
    await this.page.goto(`/services/${[environment, namespace || "public", group, name].map(encodeURIComponent).join("/")}`);
    await expect(this.title()).toHaveText(name);
  }

  title(): Locator {
    return this.page.getByTestId("service-title");
  }

  providers(): Locator {
    return this.page.getByTestId("providers-table");
  }

  consumers(): Locator {
    return this.page.getByTestId("consumers-table");
  }

  instances(): Locator {
    return this.page.getByTestId("instances-table");
  }

  /** Instance rows only (a table may also hold per-cluster heading rows). */
  instanceRows(): Locator {
    return this.instances().locator("tbody tr:has(td)");
  }

  instance(port: number, ip = "127.0.0.1"): Locator {
    return this.instanceRows().filter({ has: this.page.locator("td:first-child", { hasText: new RegExp(`^\\s*${ip.replace(/\./g, "\\.")}:${port}(\\s|$)`) }) });
  }

  dialog(): Locator {
    return this.page.getByTestId("confirm-dialog");
  }

  diff(): Locator {
    return this.page.getByTestId("confirm-diff");
  }

  confirm(): Locator {
    return this.page.getByTestId("confirm-action");
  }
}
