/**
 * 简体中文 is complete on the pages an operator opens (issue #11): no English UI string is
 * rendered on a zh-CN page. "English UI string" = any phrase of the English dictionary whose
 * Chinese text differs (words like "Nacos" or "Kubernetes" are the same in both and are not
 * checked). Screenshots of each page, light and dark, are kept for a human look.
 */
import { expect, test, type Page } from "@playwright/test";
import { en, zhCN } from "../../lib/i18n/messages";
import { loadStackEnv } from "../../lib/testing/peers";
import { signInAsAdmin } from "../fixtures/sign-in";

// Phrases only (a space, no placeholder, at least 8 characters): single words such as a
// service name could legitimately appear in data.
const englishPhrases = (Object.keys(en) as Array<keyof typeof en>)
  .filter((k) => en[k] !== zhCN[k])
  .map((k) => en[k])
  .filter((s) => s.includes(" ") && !s.includes("{") && s.length >= 8);

const PAGES = ["/overview", "/services", "/services/zones", "/audit", "/settings", "/settings/access", "/settings/environments"];

async function englishOn(page: Page): Promise<string[]> {
  const text = await page.locator("body").innerText();
  return englishPhrases.filter((p) => text.includes(p));
}

test("no English UI phrase on any console page in 简体中文, in light and dark", async ({ page }) => {
  test.setTimeout(120_000);
  expect(englishPhrases.length).toBeGreaterThan(50); // the check has something to check
  await signInAsAdmin(page);
  const origin = new URL(page.url()).origin;
  // Something on every page: an environment on the stack's real Nacos, picked in the header.
  const stack = loadStackEnv();
  const name = `zh-${Date.now().toString(36)}`;
  const created = await page.request.post("/api/v1/environments", {
    headers: { origin },
    data: {
      name,
      labels: { tier: "dev", site: "zh", zone: "a" },
      registry: { kind: "nacos", url: stack.SWITCHYARD_TEST_NACOS_URL, username: stack.SWITCHYARD_TEST_NACOS_USERNAME, password: stack.SWITCHYARD_TEST_NACOS_PASSWORD, namespaces: [""] },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  await page.context().addCookies([{ name: "switchyard.env", value: name, url: origin }]);
  await page.context().addCookies([{ name: "switchyard.locale", value: "zh-CN", url: origin }]);
  for (const theme of ["light", "dark"] as const) {
    await page.context().addCookies([{ name: "switchyard.theme", value: theme, url: origin }]);
    for (const path of PAGES) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      await expect(page.locator("html")).toHaveAttribute("lang", /zh/);
      if (path === "/settings/environments") await page.getByTestId("env-new").click(); // the form's labels too
      expect(await englishOn(page), `English on ${path} (${theme})`).toEqual([]);
      await page.screenshot({ path: `test-results/screens/zh-${theme}${path.replace(/\//g, "-")}.png`, fullPage: true });
    }
  }
});
