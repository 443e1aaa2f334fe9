import { expect, type Locator, type Page } from "@playwright/test";

/** The overview dashboard (/overview). */
export class OverviewPage {
  constructor(private readonly page: Page) {}

  async goto(query: Record<string, string>): Promise<void> {
    await this.page.goto(`/overview?${new URLSearchParams(query).toString()}`);
    await expect(this.page.getByTestId("overview-dashboard")).toBeVisible();
  }

  part(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  /** The drawn lines and bars of a chart: Recharts paths whose `d` has at least one segment (a lone point draws none). */
  async drawnPaths(testId: string): Promise<number> {
    return this.part(testId)
      .locator("svg path.recharts-curve, svg path.recharts-rectangle")
      .evaluateAll((paths) => paths.filter((p) => /^M[^A-Za-z]+[LCQAHV]/i.test((p.getAttribute("d") ?? "").trim())).length);
  }

  scope(): Locator {
    return this.page.getByTestId("overview-scope");
  }

  lastUpdated(): Locator {
    return this.page.getByTestId("overview-last-updated");
  }
}
