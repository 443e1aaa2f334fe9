/**
 * Test-only: with SWITCHYARD_API_RECORD=<file> (set by the integration suite's global setup,
 * lib/testing/global-setup.ts), every /api/v1 response is appended to that file as one JSON line
 * { method, path, status, contentType, body } so the suite can validate real responses against
 * the OpenAPI document (lib/api-docs/response-check.ts). Production-mode consoles of the suite
 * record too (they are the realistic ones); nothing but the test harness sets the variable (not
 * the release's start script, not the Helm chart), and a console that records says so in its log
 * at the first response, since bodies may hold a token shown once (docs/security.md §49).
 */
import fs from "node:fs";
import { logger } from "@/lib/logger";

export interface RecordedResponse {
  method: string;
  /** The request's pathname, e.g. /api/v1/environments/prod/services. */
  path: string;
  status: number;
  contentType: string | null;
  /** Parsed JSON (application/json, application/problem+json); absent for other media types. */
  body?: unknown;
}

export const RECORD_ENV = "SWITCHYARD_API_RECORD";

let announced = false;

function recordFile(): string | undefined {
  const file = process.env[RECORD_ENV];
  if (!file) return undefined;
  if (!announced) {
    announced = true;
    logger.warn("recording every API response for the test suite (SWITCHYARD_API_RECORD): bodies, one-time token secrets included, go to this file", { file });
  }
  return file;
}

/** Appends the response (read from a clone, so the client still gets the body) when recording is on. */
export async function recordResponse(req: Request, res: Response): Promise<void> {
  const file = recordFile();
  if (!file) return;
  const path = new URL(req.url).pathname;
  if (!path.startsWith("/api/v1/")) return;
  const contentType = res.headers.get("content-type");
  const entry: RecordedResponse = { method: req.method, path, status: res.status, contentType };
  if (contentType && /^application\/(problem\+)?json\b/.test(contentType) && res.body) {
    const text = await res.clone().text();
    try {
      entry.body = JSON.parse(text);
    } catch {
      entry.body = { "(not JSON)": text.slice(0, 200) };
    }
  }
  // One write per line with O_APPEND: lines from several processes never interleave.
  fs.appendFileSync(file, JSON.stringify(entry) + "\n");
}
