/**
 * The API reference at /api-docs: rendered on the server from the generated OpenAPI document
 * (no script from anywhere but the console, no CDN), each route expandable by keyboard, and the
 * document itself downloadable at /api/v1/openapi.json for a signed-in user.
 */
import { expect, test } from "@playwright/test";
import { screensInEveryLook } from "../fixtures/screens";
import { signInAsAdmin } from "../fixtures/sign-in";

test("the API reference lists every route from the generated document and loads nothing from elsewhere", async ({ page }) => {
  const foreign: string[] = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.hostname !== "localhost" && u.hostname !== "127.0.0.1") foreign.push(r.url());
  });
  await signInAsAdmin(page);
  const doc = await page.request.get("/api/v1/openapi.json");
  expect(doc.status()).toBe(200);
  const body = (await doc.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  expect(body.openapi).toBe("3.1.0");
  const operations = Object.values(body.paths).reduce((n, m) => n + Object.keys(m).length, 0);

  await page.goto("/api-docs");
  await expect(page.getByRole("heading", { name: "API reference" })).toBeVisible();
  await expect(page.locator("details")).toHaveCount(operations);
  // Keyboard: focus the preferences route's summary and open it with Enter.
  const prefs = page.locator("details#patchMePreferences");
  await prefs.locator("summary").focus();
  await page.keyboard.press("Enter");
  await expect(prefs).toHaveAttribute("open", "");
  await expect(prefs.getByLabel("Request body (JSON)")).toContainText('"theme"');
  // Its answer: the 200 body's schema (generated from the view the route returns) and the problem statuses.
  await expect(prefs.getByLabel("Response 200")).toContainText('"locale"');
  await expect(prefs.getByText("Errors (application/problem+json):")).toBeVisible();
  await expect(prefs.getByText("profile.preferences.update")).toBeVisible();
  expect(foreign, "requests to other hosts").toEqual([]);

  await screensInEveryLook(page, "api-docs", async () => {
    await expect(page.locator("h1")).toBeVisible();
    await page.locator("details#patchMePreferences").evaluate((d) => d.setAttribute("open", ""));
  });
});

test("the document needs a session", async ({ request }) => {
  const r = await request.get("/api/v1/openapi.json");
  expect(r.status()).toBe(401);
});
