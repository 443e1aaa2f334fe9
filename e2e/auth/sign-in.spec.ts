import http from "node:http";
import { expect, test } from "@playwright/test";
import { E2E_ADMIN_PASSWORD } from "../../playwright.config";
import { sessionCookie } from "../fixtures/session";
import { ConsoleShell } from "../pages/console-shell";
import { LoginPage } from "../pages/login-page";

test("admin signs in, switches language, signs out", async ({ page, context }) => {
  const login = new LoginPage(page);
  const shell = new ConsoleShell(page);
  await login.goto();
  await page.screenshot({ path: "test-results/screens/login-en.png", fullPage: true });
  await login.signIn("admin", E2E_ADMIN_PASSWORD, "local");
  await shell.expectSignedIn();

  const cookie = await sessionCookie(context);
  expect(cookie, "session cookie").toBeTruthy();
  expect(cookie!.name).toBe("__Host-switchyard.session");
  expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });

  await expect(shell.nav().getByRole("link", { name: "Services", exact: true })).toBeVisible();
  await expect(page.getByTestId("activity-chart")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/overview-en.png", fullPage: true });

  await shell.switchLanguage("zh-CN");
  await expect(shell.nav().getByRole("link", { name: "服务", exact: true })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await page.screenshot({ path: "test-results/screens/overview-zh.png", fullPage: true });

  // Remembered: a reload keeps Chinese.
  await page.reload();
  await expect(shell.nav().getByRole("link", { name: "服务", exact: true })).toBeVisible();

  // Every page follows: the gateway's heading is Chinese too.
  await shell.nav().getByRole("link", { name: "网关", exact: true }).click();
  await expect(page).toHaveURL(/\/gateway$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("路由");

  await shell.switchLanguage("en");
  await expect(shell.nav().getByRole("link", { name: "Gateway", exact: true })).toBeVisible();

  await shell.signOut();
  expect(await sessionCookie(context)).toBeUndefined();
  // The console is closed again.
  await page.goto("/overview");
  await expect(page).toHaveURL(/\/login/);
});

test("wrong password: message shown, no session cookie", async ({ page, context }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn("admin", "not-the-password", "local");
  await expect(login.error()).toHaveText("Wrong username or password.");
  expect(await sessionCookie(context)).toBeUndefined();
  await page.screenshot({ path: "test-results/screens/login-error.png", fullPage: true });

  // Unknown user answers exactly alike.
  await login.signIn("nobody-here", "not-the-password", "local");
  await expect(login.error()).toHaveText("Wrong username or password.");
  expect(await sessionCookie(context)).toBeUndefined();
});

test("a signed-out request to the API is refused with problem+json", async ({ request }) => {
  const res = await request.get("/api/v1/me");
  expect(res.status()).toBe(401);
  expect(res.headers()["content-type"]).toContain("application/problem+json");
  expect(await res.json()).toMatchObject({ code: "UNAUTHENTICATED" });
});

/** A raw HTTP GET: the path goes on the wire exactly as written (no URL normalization). */
function rawGet(base: string, rawPath: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: Number(u.port), path: rawPath, method: "GET", headers: { host: u.host, ...headers } }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("SECURITY 2: odd spellings of a protected path get the same refusal as the canonical one", async ({ baseURL }) => {
  const spoof = { "user-agent": "Nacos-Server", "x-middleware-subrequest": "middleware:middleware", "x-forwarded-for": "127.0.0.1" };
  for (const p of ["/api/v1/me", "//api/v1/me", "/api/./v1/me", "/api/v1/x/../me", "/api/v1/%2e%2e/v1/me", "/api/v1/me/", "/api%2Fv1/me", "/api/v1/ME", "/api/v1/me%00"]) {
    const res = await rawGet(baseURL!, p, spoof);
    // Refused, redirected to the canonical path, or not found — never the data.
    expect([400, 401, 404, 308], `${p} → ${res.status}`).toContain(res.status);
    expect(res.body, p).not.toContain('"username"');
  }
});
