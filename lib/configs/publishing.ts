/**
 * What every config-publishing operation shares: the content checked by its format (400 naming
 * line and column), the content as audit rows may hold it (secrets redacted by the config's own
 * format, docs/security.md §47), and the 409 a stale edit gets.
 */
import "server-only";
import { z } from "zod";
import { DataIdParam, GroupParam, NamespaceParam } from "@/lib/configs/configs";
import type { ConfigConflict } from "@/lib/configs/views";
import { AppError, UpstreamError } from "@/lib/errors";
import { contentErrors } from "@/lib/formats/validate";
import { ConfigType } from "@/lib/nacos/schemas";
import { redactContent } from "@/lib/redact";

/** Nacos' own limit is 100 KiB by default; the console refuses more before calling it. */
export const MAX_CONTENT = 100 * 1024;

export const ConfigRefInput = z.object({
  environment: z.string().min(1),
  namespace: NamespaceParam,
  group: GroupParam,
  dataId: DataIdParam,
});

export const Content = z.string().min(1, "content must not be empty").max(MAX_CONTENT, `content must be at most ${MAX_CONTENT} characters`);
export const Md5Param = z.string().regex(/^[0-9a-f]{32}$/, "must be the md5 you loaded (32 lowercase hex digits)");
export { ConfigType };

/** 400 naming the first problem's line and column; every problem in `details.problems`. */
export function assertValidContent(type: string, content: string): void {
  const errors = contentErrors(type, content);
  if (errors.length === 0) return;
  const first = errors[0]!;
  const where = `line ${first.line}, column ${first.column}`;
  throw new AppError("VALIDATION", `${type} content does not parse at ${where}: ${first.message}`, {
    fields: [{ field: "content", message: `${where}: ${first.message}` }],
    details: { problems: errors },
    userMessage: `The ${type} content does not parse at ${where}: ${first.message}. Nothing was published.`,
  });
}

/** Content as an audit row holds it: secret values redacted by format, large content cut. */
export function auditContent(content: string | null | undefined, type: string | null | undefined): string | null {
  if (content === null || content === undefined) return null;
  const r = redactContent(content, type ?? undefined);
  return r.length > 16_384 ? `${r.slice(0, 16_384)}\n… (${r.length} characters)` : r;
}

/**
 * The 409 of a stale edit: base (what the editor loaded), theirs (what Nacos holds now) and mine.
 * The three contents go to the client that sent `mine` and may read the config; the audit row
 * keeps only md5s (define-operation records error details, so they hold no content).
 */
export function staleEditConflict(environment: string, what: string, conflict: ConfigConflict, sentMd5: string): UpstreamError {
  const err = new UpstreamError("CONFLICT", "nacos", `${what}: changed since it was loaded (loaded ${sentMd5}, now ${conflict.theirsMd5 ?? "deleted"})`, {
    environment,
    userMessage: conflict.theirsMd5
      ? `${what} was changed by someone else since you loaded it; nothing was published. Compare the versions and reapply your change.`
      : `${what} was deleted since you loaded it; nothing was published.`,
    details: { loadedMd5: sentMd5, currentMd5: conflict.theirsMd5 },
  });
  Object.defineProperty(err, "conflict", { value: conflict, enumerable: false });
  return err;
}

/** The three versions a stale-edit 409 carries (read by the route, never audited). */
export function conflictOf(e: unknown): ConfigConflict | null {
  return (e as { conflict?: ConfigConflict } | null)?.conflict ?? null;
}

/** For routes: a stale-edit 409 with its three versions in the problem body (`conflict`). */
export function withConflictBody(e: unknown): unknown {
  const conflict = conflictOf(e);
  if (!conflict || !(e instanceof AppError)) return e;
  return new AppError("CONFLICT", e.message, { userMessage: e.userMessage, details: { ...e.details, conflict } });
}
