import { z } from "zod";
import { passwordProblem } from "@/lib/auth/password";

/** A new password as an operation input: the password policy's problem, if any, names the field. */
export const Password = z.string().superRefine((v, c) => {
  const p = passwordProblem(v);
  if (p) c.addIssue({ code: "custom", message: p });
});
