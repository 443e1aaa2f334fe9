/** Issues and clears the session cookie (a JWE carrying only the session id). */
import "server-only";
import { encode } from "next-auth/jwt";
import { secureCookies, sessionCookieName } from "@/lib/auth/cookies";
import { serverEnv } from "@/lib/env";
import { appSecret } from "@/lib/secret";

export async function sessionCookieHeader(userId: string, sessionId: string): Promise<string> {
  const maxAge = serverEnv().SWITCHYARD_SESSION_MAX_HOURS * 3600;
  const value = await encode({ token: { sub: userId, sid: sessionId }, secret: appSecret(), maxAge });
  return `${sessionCookieName()}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secureCookies() ? "; Secure" : ""}`;
}

export function clearSessionCookieHeader(): string {
  return `${sessionCookieName()}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secureCookies() ? "; Secure" : ""}`;
}
