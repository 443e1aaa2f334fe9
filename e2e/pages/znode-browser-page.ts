import { expect, type Locator, type Page } from "@playwright/test";

/** /services/znodes: the raw znodes of the chosen ZooKeeper environment, relative to its registry root. */
export class ZnodeBrowserPage {
  constructor(private readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/services/znodes");
    await expect(this.page.getByTestId("znode-browser")).toBeVisible();
  }

  children(): Locator {
    return this.page.getByTestId("znode-children");
  }

  child(name: string): Locator {
    return this.children().getByRole("button", { name, exact: true });
  }

  /** Opens a path from the root, one child at a time, as a user clicks. */
  async open(path: string): Promise<void> {
    await this.page.getByTestId("znode-breadcrumb").getByRole("button").first().click();
    for (const segment of path.split("/").filter(Boolean)) {
      await this.child(segment).click();
      await expect(this.page.getByTestId("znode-breadcrumb").locator("[aria-current=page]")).toHaveText(segment);
    }
  }

  data(): Locator {
    return this.page.getByTestId("znode-data");
  }

  /** The value next to a label in the stat list ("Version", "Data length", …). */
  stat(label: string): Locator {
    return this.page.getByTestId("znode-stat").locator(`dt:text-is("${label}") + dd`);
  }

  newChild(): Locator {
    return this.page.getByTestId("znode-new");
  }

  edit(): Locator {
    return this.page.getByTestId("znode-edit");
  }

  remove(): Locator {
    return this.page.getByTestId("znode-delete");
  }

  editor(): Locator {
    return this.page.getByTestId("znode-editor");
  }

  save(): Locator {
    return this.page.getByTestId("znode-save");
  }

  dialog(): Locator {
    return this.page.getByTestId("confirm-dialog");
  }

  confirm(): Locator {
    return this.page.getByTestId("confirm-action");
  }

  /** Fills the "Create child" form and opens its confirmation. */
  async createChild(name: string, data: string): Promise<void> {
    await this.newChild().click();
    await this.page.getByTestId("znode-new-name").fill(name);
    await this.page.getByLabel("Data", { exact: true }).fill(data);
    await this.page.getByRole("button", { name: "Create child", exact: true }).click();
    await expect(this.dialog()).toBeVisible();
  }
}
