/**
 * next-auth v4 configuration: credentials sign-in, JWT cookie carrying only the server-side
 * session id. JWE with the app secret; rotating the secret ends every session.
 */
import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db";
import { callbackCookieName, csrfCookieName, secureCookies, sessionCookieName } from "@/lib/auth/cookies";
import { signIn } from "@/lib/auth/sign-in";
import { revokeSession } from "@/lib/auth/sessions";
import { serverEnv } from "@/lib/env";
import { clientInfo } from "@/lib/http/client-info";
import { logger } from "@/lib/logger";
import { appSecret } from "@/lib/secret";

export function authOptions(): NextAuthOptions {
  const env = serverEnv();
  const secure = secureCookies();
  const cookie = (name: string, httpOnly = true) => ({
    name,
    options: { httpOnly, sameSite: "lax" as const, path: "/", secure },
  });
  return {
    secret: appSecret(),
    useSecureCookies: secure,
    session: { strategy: "jwt", maxAge: env.SWITCHYARD_SESSION_MAX_HOURS * 3600, updateAge: 0 },
    jwt: { maxAge: env.SWITCHYARD_SESSION_MAX_HOURS * 3600 },
    pages: { signIn: "/login", error: "/login" },
    cookies: {
      sessionToken: cookie(sessionCookieName()),
      csrfToken: cookie(csrfCookieName()),
      callbackUrl: cookie(callbackCookieName()),
    },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Switchyard",
        credentials: { username: { type: "text" }, password: { type: "password" } },
        async authorize(credentials, req) {
          const signedIn = await signIn(credentials, clientInfo(req.headers ?? {}));
          if (!signedIn) return null;
          return { id: signedIn.userId, name: signedIn.displayName, sid: signedIn.sessionId } as never;
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        // Only the session id and user id travel in the cookie; everything else is looked up.
        if (user) return { sub: user.id, sid: (user as unknown as { sid: string }).sid };
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { name: session.user?.name ?? null }, sid: token.sid } as typeof session;
      },
    },
    events: {
      async signOut({ token }) {
        const sid = (token as { sid?: unknown } | null)?.sid;
        if (typeof sid !== "string") return;
        try {
          await revokeSession(await getDb(), sid, "sign_out");
        } catch (e) {
          logger.error("could not revoke session at sign-out", { err: e });
        }
      },
    },
    logger: {
      error: (code, metadata) => logger.error(`next-auth: ${code}`, { metadata }),
      warn: (code) => logger.warn(`next-auth: ${code}`),
      debug: () => undefined,
    },
  };
}
