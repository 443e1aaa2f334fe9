// POST /api/v1/auth/sign-in – sign in with a local or LDAP account; sets the session cookie
import { sessionCookieHeader } from "@/lib/auth/session-cookie";
import { signIn } from "@/lib/session/sign-in";
import { AppError } from "@/lib/errors";
import { publicRoute, readBody } from "@/lib/http/route";
import { countSignIn } from "@/lib/metrics/registry";

export const POST = publicRoute(async (req, meta) => {
  const body = await readBody(req);
  const signedIn = await signIn(body, { clientIp: meta.clientIp ?? null, userAgent: meta.userAgent ?? null });
  countSignIn(signedIn?.source ?? (body.source === "ldap" ? "ldap" : "local"), signedIn !== null);
  // One answer for unknown user, wrong password, empty password and fields that fail validation
  // (a body that is not a JSON object is a 400 naming "(body)", before any account is looked at).
  if (!signedIn) throw new AppError("UNAUTHENTICATED", "bad credentials", { userMessage: "Wrong username or password." });
  return Response.json(
    { username: signedIn.username, displayName: signedIn.displayName, source: signedIn.source },
    { headers: { "set-cookie": await sessionCookieHeader(signedIn.userId, signedIn.sessionId) } },
  );
});
