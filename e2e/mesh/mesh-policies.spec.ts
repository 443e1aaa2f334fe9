/**
 * The Mesh area end to end (issue #14) against the stack's real Kubernetes API server with the
 * Istio CRDs: an operator opens the 90/10 traffic shift of a host in its wizard, shifts it to
 * 50/50 through the preview (YAML, diff, dry run) and the confirmation, and rolls it back to 90/10
 * from the object's revisions — each checked in what the API server itself holds. The YAML editor
 * shows a rule's problem at its line. A viewer sees no write control and the API refuses (403).
 * Screenshots of the list, the wizard, the validation and the revisions in both languages,
 * light and dark.
 */
import { expect, test, type Page } from "@playwright/test";
import { signInFresh } from "../fixtures/accounts";
import { auditRows, chooseEnvironment, deleteEnvironments } from "../fixtures/console-api";
import { screensInEveryLook } from "../fixtures/screens";
import { signInAsAdmin } from "../fixtures/sign-in";
import { k8sConnection, k8sRequest } from "../gateway/k8s";
import { MeshPage } from "../pages/mesh-page";

test.describe.configure({ mode: "serial" });

const run = Date.now().toString(36);
const ns = `e2e-mesh-${run}`;
const ENV = `e2e-mesh-${run}`;
const password = "mesh-e2e-password-1";
const users = { operator: `meshop-${run}`, viewer: `meshview-${run}` };

const origin = (page: Page) => ({ origin: new URL(page.url()).origin });

async function createUser(page: Page, username: string, role: string) {
  const res = await page.request.post("/api/v1/access/users", { headers: origin(page), data: { username, displayName: username, password } });
  expect(res.status(), await res.text()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  const b = await page.request.post("/api/v1/access/bindings", { headers: origin(page), data: { subjectKind: "user", subject: id, role, environmentSelector: "*" } });
  expect(b.status(), await b.text()).toBe(201);
}

/** The weights of the VirtualService's first route, by subset, as the API server holds them. */
async function weights(name: string): Promise<Record<string, number>> {
  const r = await k8sRequest<{ spec: { http: Array<{ route: Array<{ destination: { subset: string }; weight: number }> }> } }>("GET", `/apis/networking.istio.io/v1/namespaces/${ns}/virtualservices/${name}`);
  expect(r.status).toBe(200);
  return Object.fromEntries(r.body.spec.http[0]!.route.map((d) => [d.destination.subset, d.weight]));
}

const dr = { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: "reviews" }, spec: { host: "reviews", subsets: [{ name: "v1", labels: { version: "v1" } }, { name: "v2", labels: { version: "v2" } }] } };
const vs = (a: number, b: number) => ({
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name: "reviews" },
  spec: { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews", subset: "v1" }, weight: a }, { destination: { host: "reviews", subset: "v2" }, weight: b }] }] },
});
const se = { apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", metadata: { name: "reviews" }, spec: { hosts: ["reviews"], resolution: "DNS", ports: [{ number: 9080, name: "http", protocol: "HTTP" }] } };

test.beforeAll(async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await signInAsAdmin(page);
  const k8s = k8sConnection();
  const env = await page.request.post("/api/v1/environments", { headers: origin(page), data: { name: ENV, labels: { tier: "dev" }, kubernetes: { apiUrl: k8s.url, caPem: k8s.ca, auth: "client-certificate", clientCertPem: k8s.cert, clientKeyPem: k8s.key } } });
  expect(env.status(), await env.text()).toBe(201);
  // The host as a ServiceEntry, its subsets and the 90/10 split, through the console's own guarded apply.
  const applied = await page.request.post(`/api/v1/environments/${ENV}/mesh/apply`, {
    headers: origin(page),
    data: { namespace: ns, objects: [{ kind: "VirtualService", name: "reviews", object: vs(90, 10), resourceVersion: null }, { kind: "DestinationRule", name: "reviews", object: dr, resourceVersion: null }, { kind: "ServiceEntry", name: "reviews", object: se, resourceVersion: null }] },
  });
  expect(applied.status(), await applied.text()).toBe(200);
  await createUser(page, users.operator, "operator");
  await createUser(page, users.viewer, "viewer");
  await page.context().close();
});

test.afterAll(async ({ browser }) => {
  for (const plural of ["virtualservices", "destinationrules", "serviceentries"]) await k8sRequest("DELETE", `/apis/networking.istio.io/v1/namespaces/${ns}/${plural}`).catch(() => undefined);
  await deleteEnvironments(browser, [ENV]);
});

test("an operator shifts 90/10 to 50/50 through preview and confirmation, and rolls it back from the revisions", async ({ browser }) => {
  // Four screenshot rounds (list, wizard, revisions, validation), each reloading four times.
  test.setTimeout(300_000);
  const { page, context } = await signInFresh(browser, users.operator, password);
  await chooseEnvironment(page, ENV);
  const mesh = new MeshPage(page);

  await mesh.gotoList(ns);
  await expect(mesh.row("VirtualService", "reviews")).toBeVisible();
  await expect(mesh.row("DestinationRule", "reviews").getByTestId("validation-badge")).toHaveAttribute("data-badge", "ok");
  await screensInEveryLook(page, "mesh-list", () => expect(mesh.row("VirtualService", "reviews")).toBeVisible());

  // Open the live objects in the traffic-shifting wizard: it shows 90/10.
  await mesh.gotoObject(ENV, ns, "VirtualService", "reviews");
  await page.getByTestId("mesh-open-wizard").click();
  await expect(page.getByTestId("subset-weight-0")).toHaveValue("90");
  await expect(page.getByTestId("subset-weight-1")).toHaveValue("10");
  // Never coerced: 60 + 10 is refused before anything is previewed.
  await page.getByTestId("subset-weight-0").fill("60");
  await expect(page.getByTestId("wizard-weight-sum")).toContainText("70");
  await expect(page.getByTestId("mesh-preview")).toBeDisabled();
  await page.getByTestId("subset-weight-0").fill("50");
  await page.getByTestId("subset-weight-1").fill("50");
  await page.getByTestId("mesh-preview").click();
  await expect(page.getByTestId("mesh-preview-result")).toContainText("The API server accepts it (dry run).");
  await expect(page.getByTestId("mesh-preview-diff").first()).toContainText("weight: 50");
  await screensInEveryLook(page, "mesh-wizard", async () => {
    await page.getByTestId("subset-weight-0").fill("50");
    await page.getByTestId("subset-weight-1").fill("50");
    await page.getByTestId("mesh-preview").click();
    await expect(page.getByTestId("mesh-preview-diff").first()).toBeVisible();
  });
  await page.getByTestId("subset-weight-0").fill("50");
  await page.getByTestId("subset-weight-1").fill("50");
  const diff = await mesh.previewAndApply();
  expect(diff).toContain("- ");
  expect(diff).toContain("weight: 50");
  await expect(page.getByTestId("mesh-outcome")).toContainText("Applied");
  expect(await weights("reviews")).toEqual({ v1: 50, v2: 50 });

  // Roll back to the 90/10 revision from the object's revisions.
  await mesh.gotoObject(ENV, ns, "VirtualService", "reviews");
  const revisions = page.getByTestId("mesh-revision");
  await expect(revisions).toHaveCount(2);
  await page.getByTestId("mesh-compare-1").click();
  await expect(page.getByTestId("mesh-revision-diff")).toContainText("weight: 90");
  await page.getByTestId("mesh-rollback-1").click();
  const dialog = page.getByTestId("confirm-dialog");
  await expect(dialog.getByTestId("confirm-diff")).toContainText("weight: 90");
  await dialog.getByTestId("confirm-action").click();
  await expect(page.getByTestId("mesh-detail-message")).toContainText("Rolled back to revision 1");
  expect(await weights("reviews")).toEqual({ v1: 90, v2: 10 });
  await expect(revisions).toHaveCount(3);
  await page.getByTestId("mesh-compare-2").click();
  await screensInEveryLook(page, "mesh-revisions", async () => {
    await page.getByTestId("mesh-compare-2").click();
    await expect(page.getByTestId("mesh-revision-diff")).toBeVisible();
  });

  const audit = await auditRows(page, { action: "mesh.policy.rollback" });
  expect(audit.some((r) => r.outcome === "succeeded" && r.actorName === users.operator)).toBe(true);

  // The editor shows a rule's problem at its line: weights 90 + 20.
  await mesh.gotoEditor(ENV, ns, "VirtualService", "reviews");
  const bad = [
    "apiVersion: networking.istio.io/v1",
    "kind: VirtualService",
    "metadata:",
    "  name: reviews",
    "spec:",
    "  hosts:",
    "  - reviews",
    "  http:",
    "  - route:",
    "    - destination:",
    "        host: reviews",
    "        subset: v1",
    "      weight: 90",
    "    - destination:",
    "        host: reviews",
    "        subset: v3",
    "      weight: 20",
    "",
  ].join("\n");
  await mesh.setYaml(bad);
  const validation = page.getByTestId("mesh-validation");
  await expect(validation.locator('[data-rule="SY-M002"]')).toContainText("route weights add up to 110, not 100");
  await expect(validation.locator('[data-rule="SY-M003"]')).toContainText("line 16");
  await screensInEveryLook(page, "mesh-validation", async () => {
    await mesh.setYaml(bad);
    await expect(page.getByTestId("mesh-validation").locator('[data-rule="SY-M002"]')).toBeVisible();
  });
  await context.close();
});

test("a viewer sees no write control, and the API refuses a change (403); nothing changes", async ({ browser }) => {
  const { page, context } = await signInFresh(browser, users.viewer, password);
  await chooseEnvironment(page, ENV);
  const mesh = new MeshPage(page);
  await mesh.gotoList(ns);
  await expect(mesh.row("VirtualService", "reviews")).toBeVisible();
  await expect(page.getByTestId("mesh-actions")).toHaveCount(0);
  await mesh.gotoObject(ENV, ns, "VirtualService", "reviews");
  await expect(page.getByTestId("mesh-revision").first()).toBeVisible();
  await expect(page.getByTestId("mesh-open-wizard")).toHaveCount(0);
  await expect(page.locator('[data-testid^="mesh-rollback-"]')).toHaveCount(0);
  const before = await weights("reviews");
  const live = await k8sRequest<{ metadata: { resourceVersion: string } }>("GET", `/apis/networking.istio.io/v1/namespaces/${ns}/virtualservices/reviews`);
  const res = await page.request.put(`/api/v1/environments/${ENV}/mesh/VirtualService/${ns}/reviews`, { headers: origin(page), data: { object: vs(0, 100), resourceVersion: live.body.metadata.resourceVersion } });
  expect(res.status(), await res.text()).toBe(403);
  const rb = await page.request.post(`/api/v1/environments/${ENV}/mesh/VirtualService/${ns}/reviews/rollback`, { headers: origin(page), data: { revision: 2, resourceVersion: live.body.metadata.resourceVersion } });
  expect(rb.status(), await rb.text()).toBe(403);
  expect(await weights("reviews")).toEqual(before);
  // The wizard page does not exist for a viewer (streamed pages answer 200 with the not-found view).
  await page.goto(`/mesh/${ENV}/${ns}/wizard/traffic-shift?name=reviews`);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByTestId("apply-panel")).toHaveCount(0);
  await context.close();
});
