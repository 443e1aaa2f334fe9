/**
 * Query strings of the gateway routes, parsed with zod (400 naming the parameter).
 */
import "server-only";
import type { z } from "zod";
import { zodToAppError } from "@/lib/zod-error";

export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw zodToAppError(parsed.error);
  return parsed.data;
}

/** The object a URL names, checked against the gateway's kinds (400 naming kind, namespace or name). */
export function parseRef<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw zodToAppError(parsed.error);
  return parsed.data;
}
