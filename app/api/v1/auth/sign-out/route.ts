// POST /api/v1/auth/sign-out – revoke the session server-side and clear the cookie
import { cookies } from "next/headers";
import { actorFromCookies } from "@/lib/auth/authenticate";
import { sessionCookieName } from "@/lib/auth/cookies";
import { clearSessionCookieHeader } from "@/lib/auth/session-cookie";
import { signOut } from "@/lib/session/sign-out";
import { publicRoute } from "@/lib/http/route";

export const POST = publicRoute(async (_req, meta) => {
  const jar = await cookies();
  const actor = await actorFromCookies(jar).catch(() => null);
  await signOut(jar.get(sessionCookieName())?.value, actor, meta);
  return new Response(null, { status: 204, headers: { "set-cookie": clearSessionCookieHeader() } });
});
