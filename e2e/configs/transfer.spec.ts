import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { strFromU8, unzipSync } from "fflate";
import { createNamespace, deleteNamespace } from "../fixtures/nacos-api";
import { screenPath, screensInEveryLook } from "../fixtures/screens";
import { signInAsAdmin } from "../fixtures/sign-in";
import { loadStackEnv } from "../../lib/testing/peers";
import { ConfigsPage } from "../pages/configs-page";

/**
 * Issue #13 item 6 in Chromium on the stack's real Nacos: select configs and export them as a
 * zip (secret values redacted), import that zip into another namespace with a preview (plan per
 * item, diff of an overwrite), a confirmation, and per-item results (the redacted item refused);
 * clone a config with its secret to the other namespace server side. Screenshots of the import
 * preview, the import results and the clone preview in both languages, light and dark.
 */
const run = randomBytes(3).toString("hex");
const NS_A = `e2e-xa-${run}`;
const NS_B = `e2e-xb-${run}`;
const ENV = `xfer-${run}`;
const G = "DEFAULT_GROUP";
const SECRET = `pw-${run}-Zq`;
const APP = `app-${run}.yaml`;
const PLAIN = `plain-${run}.json`;
const NOTE = `note-${run}.txt`;

const origin = (page: Page) => ({ origin: new URL(page.url()).origin });

async function api(page: Page, method: "GET" | "POST", path: string, data?: unknown) {
  const res = await page.request.fetch(path, { method, headers: origin(page), data });
  return { status: res.status(), body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

test.describe.configure({ mode: "serial" });
test.setTimeout(240_000);

let zipPath = "";

test.beforeAll(async ({ browser }) => {
  await createNamespace(NS_A);
  await createNamespace(NS_B);
  const page = await (await browser.newContext()).newPage();
  await signInAsAdmin(page);
  const stack = loadStackEnv();
  const env = await api(page, "POST", "/api/v1/environments", {
    name: ENV,
    labels: { tier: "dev" },
    registry: { kind: "nacos", url: stack.SWITCHYARD_TEST_NACOS_URL, username: stack.SWITCHYARD_TEST_NACOS_USERNAME, password: stack.SWITCHYARD_TEST_NACOS_PASSWORD, namespaces: [NS_A, NS_B] },
  });
  expect(env.status, JSON.stringify(env.body)).toBe(201);
  for (const [ns, dataId, type, content] of [
    [NS_A, APP, "yaml", `server:\n  port: 8080\ndb:\n  password: ${SECRET}\n`],
    [NS_A, PLAIN, "json", '{\n  "rps": 100,\n  "burst": 20\n}'],
    [NS_A, NOTE, "text", "hello from A\n"],
    [NS_B, PLAIN, "json", '{\n  "rps": 50,\n  "burst": 20\n}'],
  ]) {
    const r = await api(page, "POST", `/api/v1/environments/${ENV}/configs`, { namespace: ns, group: G, dataId, type, content });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
  await page.context().close();
});

test.afterAll(async () => {
  await deleteNamespace(NS_A).catch(() => undefined);
  await deleteNamespace(NS_B).catch(() => undefined);
});

async function openList(page: Page, namespace: string): Promise<ConfigsPage> {
  const configs = new ConfigsPage(page);
  await configs.gotoList(namespace);
  await expect(configs.row(PLAIN)).toBeVisible();
  return configs;
}

test("export the selection as a zip (secrets redacted), import it into another namespace: preview, diff, confirm, per-item results", async ({ page }) => {
  await signInAsAdmin(page);
  await page.context().addCookies([{ name: "switchyard.env", value: ENV, url: new URL(page.url()).origin }]);
  await openList(page, NS_A);
  await page.getByTestId("configs-select-all").check();
  await expect(page.getByTestId("configs-selected")).toContainText("3");
  const download = page.waitForEvent("download");
  await page.getByTestId("configs-export-zip").click();
  const dl = await download;
  expect(dl.suggestedFilename()).toMatch(/\.zip$/);
  zipPath = screenPath(`transfer-export-${run}.zip`);
  await dl.saveAs(zipPath);
  await expect(page.getByTestId("configs-export-done")).toContainText("3");
  const files = unzipSync(new Uint8Array(fs.readFileSync(zipPath)));
  expect(Object.keys(files).sort()).toEqual([".metadata.yml", `${G}/${APP}`, `${G}/${NOTE}`, `${G}/${PLAIN}`]);
  expect(strFromU8(files[`${G}/${APP}`]!)).not.toContain(SECRET);
  expect(strFromU8(files[`${G}/${APP}`]!)).toContain("port: 8080");

  // Into namespace B, overwriting what exists there (checked against what the preview shows).
  const preview = async () => {
    await expect(page.getByTestId("configs-table")).toBeVisible();
    await page.getByTestId("configs-import-zip").click();
    await page.getByTestId("transfer-file").setInputFiles(zipPath);
    await page.getByTestId("transfer-policy").selectOption("overwrite");
    await page.getByTestId("transfer-preview").click();
    await expect(page.getByTestId("transfer-plan-row")).toHaveCount(3);
  };
  await openList(page, NS_B);
  await preview();
  const row = (path: string) => page.locator(`[data-testid=transfer-plan-row][data-path="${G}/${path}"]`);
  await expect(row(APP)).toHaveAttribute("data-action", "fail");
  await expect(row(APP)).toContainText("redacted");
  await expect(row(PLAIN)).toHaveAttribute("data-action", "overwrite");
  await expect(row(NOTE)).toHaveAttribute("data-action", "create");
  await row(PLAIN).getByTestId("transfer-diff-toggle").click();
  await expect(page.getByTestId("transfer-diff")).toContainText('"rps": 100');
  await screensInEveryLook(page, "configs-import-preview", async () => {
    await preview();
    await row(PLAIN).getByTestId("transfer-diff-toggle").click();
    await expect(page.getByTestId("transfer-diff")).toBeVisible();
  });

  await preview();
  await page.getByTestId("transfer-run").click();
  const dialog = page.getByTestId("confirm-dialog");
  await expect(dialog.getByTestId("confirm-diff")).toContainText(`${G}/${PLAIN}`);
  await dialog.getByTestId("confirm-action").click();
  const result = (path: string) => page.locator(`[data-testid=transfer-result-row][data-path="${G}/${path}"]`);
  await expect(result(PLAIN)).toHaveAttribute("data-outcome", "overwritten");
  await expect(result(NOTE)).toHaveAttribute("data-outcome", "created");
  await expect(result(APP)).toHaveAttribute("data-outcome", "failed");
  await expect(page.getByTestId("transfer-result-summary")).toContainText("1");
  const plain = await api(page, "GET", `/api/v1/environments/${ENV}/configs/${G}/${PLAIN}?namespace=${NS_B}`);
  expect((plain.body.formal as { content: string }).content).toBe('{\n  "rps": 100,\n  "burst": 20\n}');
  // The list re-reads: the created config shows up in B.
  await expect(page.getByTestId("configs-table").locator("tbody tr").filter({ hasText: NOTE })).toBeVisible();

  // Results in every look: someone changes plain.json in B, the zip is imported again with
  // overwrite → plain.json overwritten, note unchanged (skipped), app.yaml refused.
  let look = 0;
  await screensInEveryLook(page, "configs-import-result", async () => {
    const now = await api(page, "GET", `/api/v1/environments/${ENV}/configs/${G}/${PLAIN}?namespace=${NS_B}`);
    const put = await page.request.fetch(`/api/v1/environments/${ENV}/configs/${G}/${PLAIN}?namespace=${NS_B}`, {
      method: "PUT",
      headers: origin(page),
      data: { type: "json", content: `{\n  "rps": ${++look},\n  "burst": 20\n}`, casMd5: (now.body.formal as { md5: string }).md5 },
    });
    expect(put.status()).toBe(200);
    await preview();
    await expect(row(PLAIN)).toHaveAttribute("data-action", "overwrite");
    await page.getByTestId("transfer-run").click();
    await page.getByTestId("confirm-dialog").getByTestId("confirm-action").click();
    await expect(result(PLAIN)).toHaveAttribute("data-outcome", "overwritten");
    await expect(result(NOTE)).toHaveAttribute("data-outcome", "skipped");
  });
});

test("clone a config with its secret to another namespace, server side, with a preview and per-item results", async ({ page }) => {
  await signInAsAdmin(page);
  await page.context().addCookies([{ name: "switchyard.env", value: ENV, url: new URL(page.url()).origin }]);
  const configs = await openList(page, NS_A);
  const start = async () => {
    await expect(configs.row(APP)).toBeVisible();
    await configs.row(APP).getByTestId("configs-select").check();
    await page.getByTestId("configs-clone").click();
    await page.getByTestId("transfer-target-ns").selectOption(NS_B);
    await page.getByTestId("transfer-preview").click();
    await expect(page.locator(`[data-testid=transfer-plan-row][data-path="${G}/${APP}"]`)).toHaveAttribute("data-action", "create");
  };
  await start();
  await screensInEveryLook(page, "configs-clone-preview", start);
  await start();
  await page.getByTestId("transfer-run").click();
  await page.getByTestId("confirm-dialog").getByTestId("confirm-action").click();
  await expect(page.locator(`[data-testid=transfer-result-row][data-path="${G}/${APP}"]`)).toHaveAttribute("data-outcome", "created");
  const cloned = await api(page, "GET", `/api/v1/environments/${ENV}/configs/${G}/${APP}?namespace=${NS_B}`);
  expect((cloned.body.formal as { content: string }).content).toContain(`password: ${SECRET}`);
});

/** A beta published straight to Nacos (betaIps is read from a header only), as another tool would. */
async function betaOutsideTheConsole(namespace: string, dataId: string, content: string, stop = false): Promise<void> {
  const stack = loadStackEnv();
  const base = stack.SWITCHYARD_TEST_NACOS_URL!.replace(/\/$/, "");
  const login = await fetch(`${base}/v3/auth/user/login`, { method: "POST", body: new URLSearchParams({ username: stack.SWITCHYARD_TEST_NACOS_USERNAME!, password: stack.SWITCHYARD_TEST_NACOS_PASSWORD! }) });
  const accessToken = ((await login.json()) as { accessToken: string }).accessToken;
  const params = new URLSearchParams({ dataId, groupName: G, namespaceId: namespace });
  const res = stop
    ? await fetch(`${base}/v3/admin/cs/config/beta?${params}`, { method: "DELETE", headers: { accessToken } })
    : await fetch(`${base}/v3/admin/cs/config`, { method: "POST", headers: { accessToken, betaIps: "127.0.0.9" }, body: new URLSearchParams({ dataId, groupName: G, namespaceId: namespace, content, type: "text" }) });
  expect(res.status).toBe(200);
}

test("a gray release started outside the console shows as a badge and in the gray filter (Nacos' truth)", async ({ page }) => {
  await signInAsAdmin(page);
  await page.context().addCookies([{ name: "switchyard.env", value: ENV, url: new URL(page.url()).origin }]);
  await betaOutsideTheConsole(NS_A, NOTE, "beta from elsewhere\n");
  try {
    const configs = await openList(page, NS_A);
    await expect(configs.row(NOTE).getByTestId("configs-gray-badge")).toBeVisible();
    await expect(configs.row(PLAIN).getByTestId("configs-gray-badge")).toHaveCount(0);
    await page.getByTestId("configs-gray-only").click();
    await expect(configs.table().locator("tbody tr")).toHaveCount(1);
    await expect(configs.row(NOTE)).toBeVisible();
  } finally {
    await betaOutsideTheConsole(NS_A, NOTE, "", true);
  }
});
