import fs from "node:fs";
import https from "node:https";
import { expect, test, type Page } from "@playwright/test";
import { loadStackEnv } from "../../lib/testing/peers";
import { expectOneOutcome } from "../fixtures/audit-api";
import { screenPath } from "../fixtures/screens";
import { signInAsAdmin } from "../fixtures/sign-in";
import { AuditPage } from "../pages/audit-page";

// Each test sets up what it needs: one failing never keeps the others from running.

// Unique per run; every environment made here is deleted again before the file ends.
const run = Date.now().toString(36);

// Whatever this file registered goes again, so the specs after it start as they would alone.
test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  try {
    await signInAsAdmin(page);
    const envs = (await (await page.request.get("/api/v1/environments")).json()) as Array<{ name: string; version: number }>;
    for (const e of envs.filter((x) => x.name.endsWith(`-${run}`))) {
      const res = await page.request.delete(`/api/v1/environments/${e.name}?expectedVersion=${e.version}`, { headers: { origin: new URL(page.url()).origin } });
      expect(res.status(), `clean-up of ${e.name}`).toBe(200);
    }
  } finally {
    await page.close();
  }
});

function nacosRegistry() {
  const stack = loadStackEnv();
  if (!stack.SWITCHYARD_TEST_NACOS_URL) throw new Error("peer nacos is not running: no .stack/nacos.env");
  return { kind: "nacos", url: stack.SWITCHYARD_TEST_NACOS_URL, username: stack.SWITCHYARD_TEST_NACOS_USERNAME, password: stack.SWITCHYARD_TEST_NACOS_PASSWORD, namespaces: [""] };
}

async function createEnvironment(page: Page, body: Record<string, unknown>) {
  const res = await page.request.post("/api/v1/environments", { headers: { origin: new URL(page.url()).origin }, data: body });
  expect(res.status(), `create ${String(body.name)}: ${await res.text()}`).toBe(201);
}

async function gotoEnvironments(page: Page, expectName: string) {
  await page.goto("/settings/environments");
  // The list is fetched by the hydrated page: once it shows the row, buttons have their handlers.
  await expect(page.getByTestId("environments-table")).toContainText(expectName);
}

function envRow(page: Page, name: string) {
  return page.getByTestId("environments-table").locator("tbody tr").filter({ has: page.getByRole("cell", { name: new RegExp(`^${name}\\s*v\\d+$`) }) });
}

/** What the stack's kube-apiserver itself says its version is (GET /version with the test client certificate). */
function kubeVersion(): Promise<{ major: string; minor: string; gitVersion: string }> {
  const stack = loadStackEnv();
  const url = new URL("/version", stack.SWITCHYARD_TEST_K8S_URL);
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: fs.readFileSync(stack.SWITCHYARD_TEST_K8S_CA!), cert: fs.readFileSync(stack.SWITCHYARD_TEST_K8S_CERT!), key: fs.readFileSync(stack.SWITCHYARD_TEST_K8S_KEY!) }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`GET /version: ${res.statusCode} ${body}`))));
      })
      .on("error", reject);
  });
}

test("admin edits an environment's labels: the list shows the new label, the stored password is kept, the audit has before and after", async ({ page }) => {
  const name = `edit-${run}`;
  const site = `e2e-${run}`;
  await signInAsAdmin(page);
  await createEnvironment(page, { name, labels: { tier: "dev", site }, registry: nacosRegistry() });
  await gotoEnvironments(page, name);
  const row = envRow(page, name);
  await expect(row).toContainText("tier=dev");
  await expect(row).toContainText("v1");

  await row.getByRole("button", { name: "Edit" }).click();
  await expect(page.getByTestId("env-name")).toHaveValue(name);
  await expect(page.getByTestId("env-labels")).toHaveValue(`site=${site},tier=dev`);
  await page.getByTestId("env-labels").fill(`site=${site},tier=staging,owner=payments`);
  // The password field is left empty: "keep the stored value".
  await page.getByTestId("env-save").click();
  const diff = page.getByTestId("confirm-diff");
  await expect(diff).toContainText('-     "tier": "dev"');
  await expect(diff).toContainText('+     "tier": "staging"');
  await expect(diff).toContainText('+     "owner": "payments"');
  await expect(diff).not.toContainText("(new value)");
  const changedLines = (await diff.locator("div").allTextContents()).filter((l) => /^[-+] /.test(l));
  await page.screenshot({ path: screenPath("environments-edit-confirm.png"), fullPage: true });
  await page.getByTestId("confirm-action").click();
  await expect(page.getByTestId("confirm-dialog")).toHaveCount(0);

  await expect(row).toContainText("tier=staging");
  await expect(row).toContainText("owner=payments");
  await expect(row).not.toContainText("tier=dev");
  await expect(row).toContainText("v2");
  await expect(row).toContainText("Nacos password");

  const stored = await page.request.get(`/api/v1/environments/${name}`);
  expect(stored.status()).toBe(200);
  expect(await stored.json()).toMatchObject({ labels: { tier: "staging", site, owner: "payments" }, version: 2, credentials: ["nacosPassword"] });

  // The kept password still signs in to Nacos.
  await page.getByTestId(`env-test-${name}`).click();
  await expect(page.getByTestId(`env-verdicts-${name}`)).toContainText(/✓ nacos: Nacos .*answered; signed in as nacos/);
  await page.screenshot({ path: screenPath("environments-edited.png"), fullPage: true });

  const audited = await expectOneOutcome(page.request, "environment.update", name);
  expect(audited).toMatchObject({ actorName: "admin", environment: name, before: { labels: { tier: "dev" }, version: 1 }, after: { labels: { tier: "staging", owner: "payments" }, version: 2 } });

  // The confirmation showed the label change and nothing else as changed (no line of an
  // unchanged field, such as the registry URL, marked removed and added again).
  expect(changedLines.map((l) => l.replace(/\s+/g, " ").replace(/,$/, "")).sort()).toEqual(['+ "owner": "payments"', '+ "tier": "staging"', '- "tier": "dev"'].sort());
});

test("admin deletes an environment after a confirmation: gone from the list and the API, one audit row", async ({ page }) => {
  const name = `gone-${run}`;
  await signInAsAdmin(page);
  await createEnvironment(page, { name, labels: { tier: "dev", site: `e2e-${run}` }, registry: nacosRegistry() });
  await gotoEnvironments(page, name);
  await envRow(page, name).getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("confirm-diff")).toContainText(`- environment ${name} (v1) with 1 stored credential(s)`);
  await page.screenshot({ path: screenPath("environments-delete-confirm.png"), fullPage: true });
  await page.getByTestId("confirm-action").click();
  await expect(page.getByTestId("confirm-dialog")).toHaveCount(0);
  await expect(envRow(page, name)).toHaveCount(0);
  await expect(page.getByText(name)).toHaveCount(0);
  await page.screenshot({ path: screenPath("environments-deleted.png"), fullPage: true });

  expect((await page.request.get(`/api/v1/environments/${name}`)).status()).toBe(404);
  await page.reload();
  await expect(page.getByTestId("environments-table").or(page.getByText("No environments yet. An admin registers them here."))).toBeVisible();
  await expect(page.getByText(name)).toHaveCount(0);
  await expect(page.getByTestId("environment-switch")).not.toContainText(name);

  const audited = await expectOneOutcome(page.request, "environment.delete", name);
  expect(audited).toMatchObject({ actorName: "admin", targetKind: "environment", before: { name, version: 1 } });

  const audit = new AuditPage(page);
  await audit.goto();
  await audit.filterByAction("environment.delete");
  await expect(audit.rows().filter({ hasText: "succeeded" }).filter({ hasText: name })).toHaveCount(1);
  await page.screenshot({ path: screenPath("environments-delete-audit.png"), fullPage: true });

  // docs/security.md §20: a row carries its environment, so filtering the log by environment
  // finds the deletion too, as it finds the creation and the changes.
  expect(audited.environment, "environment column of the environment.delete row").toBe(name);
});

test("an environment on the stack's Kubernetes, registered in the form: Test connection gives a Kubernetes verdict", async ({ page }) => {
  const stack = loadStackEnv();
  const apiUrl = stack.SWITCHYARD_TEST_K8S_URL;
  if (!apiUrl) throw new Error("peer k8s is not running: no .stack/k8s.env");
  const name = `k8s-${run}`;
  const keyPem = fs.readFileSync(stack.SWITCHYARD_TEST_K8S_KEY!, "utf8");
  await signInAsAdmin(page);
  await page.goto("/settings/environments");
  await expect(page.getByTestId("environments-table").or(page.getByText("No environments yet. An admin registers them here."))).toBeVisible();
  await page.getByTestId("env-new").click();
  await page.getByTestId("env-name").fill(name);
  await page.getByTestId("env-labels").fill(`tier=dev,site=e2e-${run}`);
  await page.getByTestId("env-registry-kind").selectOption("");
  await page.getByLabel("Kubernetes API URL").fill(apiUrl);
  await page.getByLabel("Kubernetes credential").selectOption("client-certificate");
  await page.getByLabel("CA certificate (PEM)").fill(fs.readFileSync(stack.SWITCHYARD_TEST_K8S_CA!, "utf8"));
  await page.getByLabel("Client certificate (PEM)").fill(fs.readFileSync(stack.SWITCHYARD_TEST_K8S_CERT!, "utf8"));
  await page.getByLabel("Client key (PEM)").fill(keyPem);
  await page.getByTestId("env-save").click();
  const diff = page.getByTestId("confirm-diff");
  await expect(diff).toContainText(`"apiUrl": "${apiUrl}"`);
  await expect(diff).toContainText('"clientKeyPem": "•••• (new value)"');
  await expect(diff).not.toContainText("PRIVATE KEY");
  await page.getByTestId("confirm-action").click();
  await expect(page.getByTestId("confirm-dialog")).toHaveCount(0);

  const row = envRow(page, name);
  await expect(row).toContainText(`${apiUrl} (client-certificate)`);
  await expect(row).toContainText("Client certificate (PEM), Client key (PEM)");
  await expect(row).not.toContainText("PRIVATE KEY");

  await page.getByTestId(`env-test-${name}`).click();
  const verdicts = page.getByTestId(`env-verdicts-${name}`).locator("li");
  // No registry: exactly one verdict, Kubernetes', from the real API server.
  await expect(verdicts).toHaveCount(1);
  await expect(verdicts.first()).toContainText(/^✓ kubernetes: Kubernetes \d+\.\d+ answered; (\d+) of \1 managed kinds served\. \(\d+ ms\)$/);
  const text = (await verdicts.first().textContent())!;
  expect(Number(/; (\d+) of/.exec(text)![1])).toBeGreaterThan(0);
  // It names the version the server reports (major.minor or its build's gitVersion), not an object.
  const v = await kubeVersion();
  expect(text).not.toContain("[object Object]");
  expect(text.includes(`${v.major}.${v.minor}`) || text.includes(v.gitVersion), `"${text}" names ${v.major}.${v.minor} or ${v.gitVersion}`).toBe(true);
  await page.screenshot({ path: screenPath("environments-k8s-verdict.png"), fullPage: true });

});
