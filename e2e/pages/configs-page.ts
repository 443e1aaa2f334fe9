import { expect, type Locator, type Page } from "@playwright/test";

/**
 * /configs (the list of the chosen environment's configs, by namespace) and a config's own page
 * (/configs/<env>/<namespace>/<group>/<dataId>): the editor, the publish diff, the conflict view,
 * history and the gray release.
 */
export class ConfigsPage {
  constructor(private readonly page: Page) {}

  async gotoList(namespace: string): Promise<void> {
    await this.page.goto(`/configs?namespace=${encodeURIComponent(namespace)}`);
    await expect(this.page.getByRole("heading", { level: 1 })).toBeVisible();
  }

  table(): Locator {
    return this.page.getByTestId("configs-table");
  }

  row(dataId: string): Locator {
    return this.table().locator("tbody tr").filter({ hasText: dataId });
  }

  async gotoConfig(environment: string, namespace: string, group: string, dataId: string): Promise<void> {
    await this.page.goto(`/configs/${[environment, namespace || "public", group, dataId].map(encodeURIComponent).join("/")}`);
    await expect(this.page.getByTestId("config-title")).toHaveText(dataId);
  }

  editor(): Locator {
    return this.page.getByTestId("code-editor");
  }

  /** Replaces the editor's whole text (typed as one input, as a paste would be). */
  async setContent(text: string): Promise<void> {
    const content = this.editor().locator(".cm-content");
    await content.click();
    await this.page.keyboard.press("ControlOrMeta+A");
    await this.page.keyboard.insertText(text);
  }

  async editorText(): Promise<string> {
    return (await this.editor().locator(".cm-line").allInnerTexts()).join("\n");
  }

  publishButton(): Locator {
    return this.page.getByTestId("config-publish");
  }

  dialog(): Locator {
    return this.page.getByTestId("confirm-dialog");
  }

  async confirm(): Promise<void> {
    await this.dialog().getByTestId("confirm-action").click();
  }

  tab(name: "edit" | "history" | "gray" | "compare" | "sample"): Locator {
    return this.page.getByTestId(`config-tab-${name}`);
  }
}
