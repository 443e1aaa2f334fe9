/**
 * The integration suite's check of real API responses against the OpenAPI document (issue #17).
 * The global setup turns recording on for the whole run (SWITCHYARD_API_RECORD, inherited by the
 * test workers and passed to consoles started with startConsole); its teardown validates every
 * recorded response (lib/api-docs/response-check.ts) and fails the run naming route, status and
 * schema error. When only some test files run, it checks what they recorded.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { RECORD_ENV } from "@/lib/metrics/record-response";

export function startRecording(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-api-record-"));
  const file = path.join(dir, "responses.jsonl");
  fs.writeFileSync(file, "");
  process.env[RECORD_ENV] = file;
  return file;
}

/** Validates the recording; throws (failing the run) on any mismatch. Prints the coverage either way. */
export async function checkRecording(file: string): Promise<void> {
  const { buildOpenApi } = await import("@/lib/api-docs/openapi");
  const { parseRecording, responseChecker } = await import("@/lib/api-docs/response-check");
  const recorded = fs.existsSync(file) ? parseRecording(fs.readFileSync(file, "utf8")) : [];
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  const report = responseChecker(buildOpenApi()).checkAll(recorded);
  const none = report.routesDocumented.filter((r) => !report.routesSeen.has(r));
  const lines = [
    `API responses checked against the OpenAPI document: ${report.checked} responses, ${report.routesSeen.size} of ${report.routesDocumented.length} routes with at least one.`,
    // Listed when most of the suite ran; a run of a few files would list nearly every route.
    ...(none.length && report.routesSeen.size * 2 >= report.routesDocumented.length ? [`Routes with no recorded response (${none.length}): ${none.join(", ")}`] : []),
  ];
  process.stdout.write(`\n${lines.join("\n")}\n`);
  if (report.problems.length) {
    throw new Error(`${report.problems.length} API response(s) do not match the OpenAPI document (lib/api-docs/responses):\n  ${report.problems.join("\n  ")}`);
  }
}
