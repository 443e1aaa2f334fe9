import { expect, type Locator, type Page } from "@playwright/test";

/** The Mesh pages: list, object detail with revisions, wizards and the YAML editor. */
export class MeshPage {
  constructor(readonly page: Page) {}

  async gotoList(namespace: string): Promise<void> {
    await this.page.goto(`/mesh?ns=${encodeURIComponent(namespace)}`);
    await expect(this.page.getByTestId("mesh-counts")).toBeVisible();
  }

  row(kind: string, name: string): Locator {
    return this.page.locator(`[data-testid="mesh-row"][data-kind="${kind}"][data-name="${name}"]`);
  }

  async gotoObject(env: string, namespace: string, kind: string, name: string): Promise<void> {
    await this.page.goto(`/mesh/${[env, namespace, kind, name].map(encodeURIComponent).join("/")}`);
    await expect(this.page.getByTestId("mesh-object-name")).toHaveText(name);
  }

  async gotoWizard(env: string, namespace: string, wizard: string, name?: string): Promise<void> {
    await this.page.goto(`/mesh/${encodeURIComponent(env)}/${encodeURIComponent(namespace)}/wizard/${wizard}${name ? `?name=${encodeURIComponent(name)}` : ""}`);
    await expect(this.page.getByTestId("apply-panel")).toBeVisible();
  }

  async gotoEditor(env: string, namespace: string, kind?: string, name?: string): Promise<void> {
    await this.page.goto(`/mesh/${encodeURIComponent(env)}/${encodeURIComponent(namespace)}/edit${kind && name ? `?kind=${kind}&name=${name}` : ""}`);
    await expect(this.page.getByTestId("mesh-yaml-editor")).toBeVisible();
  }

  /** Preview, then Apply, then confirm in the dialog that shows the diff; returns the dialog's diff text. */
  async previewAndApply(): Promise<string> {
    await this.page.getByTestId("mesh-preview").click();
    await expect(this.page.getByTestId("mesh-preview-result")).toBeVisible();
    await this.page.getByTestId("mesh-apply").click();
    const dialog = this.page.getByTestId("confirm-dialog");
    await expect(dialog).toBeVisible();
    const diff = (await dialog.getByTestId("confirm-diff").textContent()) ?? "";
    await dialog.getByTestId("confirm-action").click();
    await expect(this.page.getByTestId("mesh-outcome")).toBeVisible();
    return diff;
  }

  /** Replaces the editor's text (CodeMirror: select all, then type). */
  async setYaml(text: string): Promise<void> {
    const content = this.page.getByTestId("mesh-yaml-editor").locator(".cm-content");
    await content.click();
    await this.page.keyboard.press("ControlOrMeta+a");
    await this.page.keyboard.press("Delete");
    await this.page.keyboard.insertText(text);
  }
}
