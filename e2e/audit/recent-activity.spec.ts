/**
 * Issue #11: the overview's recent activity showed every change twice (its intent row and its
 * outcome row) and times without their zone. Now one line per change — the outcome standing
 * for both — with the local time and the full time with its zone on hover. The explorer still
 * lists both rows.
 */
import { expect, test } from "@playwright/test";
import { screenPath } from "../fixtures/screens";
import { signInAsAdmin } from "../fixtures/sign-in";

const run = Date.now().toString(36);

test("recent activity: one line per change, local time with the zone on hover", async ({ page }) => {
  await signInAsAdmin(page);
  const origin = new URL(page.url()).origin;
  const dn = `cn=recent-${run},ou=groups,dc=switchyard,dc=test`;
  const created = await page.request.post("/api/v1/access/bindings", { headers: { origin }, data: { subjectKind: "group", subject: dn, role: "viewer", environmentSelector: `tier=recent-${run}` } });
  expect(created.status(), await created.text()).toBe(201);
  const target = `group:${dn}→viewer`;

  // The explorer: the intent and the outcome.
  await page.goto("/audit");
  await expect(page.getByTestId("audit-table").locator("tbody tr").filter({ hasText: target })).toHaveCount(2);

  // The overview: one line, with the outcome.
  await page.goto("/overview");
  const lines = page.getByTestId("audit-table").locator("tbody tr").filter({ hasText: target });
  await expect(lines).toHaveCount(1);
  await expect(lines).toContainText("succeeded");
  const time = lines.locator("time");
  await expect(time).toHaveAttribute("datetime", /^\d{4}-\d{2}-\d{2}T/);
  const hover = await time.getAttribute("title");
  expect(hover, "the full time carries its zone").toMatch(/(Time|UTC|GMT)/);
  await page.screenshot({ path: screenPath("overview-recent-activity.png"), fullPage: true });

  const id = ((await created.json()) as { id: string }).id;
  await page.request.delete(`/api/v1/access/bindings/${id}`, { headers: { origin } });
});
