import type { z } from "zod";
import { AppError } from "@/lib/errors";

/** A zod failure as a VALIDATION error that names each offending field. */
export function zodToAppError(error: z.ZodError): AppError {
  const fields = error.issues.map((i) => ({ field: i.path.map(String).join(".") || "(body)", message: i.message }));
  const names = [...new Set(fields.map((f) => f.field))].join(", ");
  return new AppError("VALIDATION", `invalid input: ${names}`, {
    fields,
    userMessage: `Check ${names}: ${fields[0]?.message ?? "invalid"}.`,
  });
}
