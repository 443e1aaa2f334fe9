/**
 * docs/security.md §40 (issue #8 item 12): a credential change ends every credential derived
 * from the old one, and passwords stored under older scrypt parameters are upgraded at the
 * next successful sign-in. Before the fix, a reset, a change or disabling an account left
 * the user's API tokens working, and hashes stayed at N = 2^15.
 */
import { randomUUID } from "node:crypto";
import { scryptSync, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/lib/database";
import type { DatabaseHandle } from "@/db/client";
import { apiTokens, users } from "@/db/schema";
import { resetLocalPassword } from "@/lib/access/reset-local-password";
import { setUserDisabled } from "@/lib/access/set-user-disabled";
import type { Actor } from "@/lib/auth/actor";
import { actorFromToken } from "@/lib/auth/authenticate";
import { hashPassword, needsRehash } from "@/lib/auth/password";
import { signIn } from "@/lib/session/sign-in";
import { createToken } from "@/lib/access/create-token";
import { revokeToken } from "@/lib/access/revoke-token";
import { listUserTokens } from "@/lib/access/tokens";
import { changePassword } from "@/lib/profile/change-password";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { freshPglite } from "@/lib/testing/db";

let handle: DatabaseHandle;
const client = { clientIp: "127.0.0.1", userAgent: "vitest" };

async function localUser(password: string): Promise<Actor> {
  const id = randomUUID();
  const username = `u-${id.slice(0, 8)}`;
  await handle.db.insert(users).values({ id, username, displayName: username, source: "local", passwordHash: await hashPassword(password) });
  return { id, username, displayName: username, source: "local", grants: [{ role: "viewer", environmentSelector: "*", namespacePattern: "*", via: "user", bindingId: "b" }] };
}

async function tokenFor(actor: Actor): Promise<string> {
  return (await createToken.execute(actor, { name: `t-${randomUUID().slice(0, 6)}`, expiresInDays: 1 }, meta())).token;
}

beforeAll(async () => {
  handle = await freshPglite();
  setProcessDatabase(handle);
});
afterAll(async () => handle?.close());

describe("credential changes revoke API tokens (§40)", () => {
  const admin = actorWithRole("admin");

  it("an admin's password reset revokes the user's tokens", async () => {
    const user = await localUser("first-password-1");
    const token = await tokenFor(user);
    expect(await actorFromToken(token)).not.toBeNull();
    const result = await resetLocalPassword.execute(admin, { id: user.id, password: "second-password-2" }, meta());
    expect(result).toMatchObject({ tokensRevoked: 1 });
    expect(await actorFromToken(token)).toBeNull();
  });

  it("changing one's own password revokes one's tokens", async () => {
    const user = await localUser("first-password-1");
    const token = await tokenFor(user);
    await changePassword.execute(user, { currentPassword: "first-password-1", newPassword: "second-password-2" }, meta());
    expect(await actorFromToken(token)).toBeNull();
  });

  it("disabling an account revokes its tokens, and re-enabling does not bring them back", async () => {
    const user = await localUser("first-password-1");
    const token = await tokenFor(user);
    await setUserDisabled.execute(admin, { id: user.id, disabled: true }, meta());
    await setUserDisabled.execute(admin, { id: user.id, disabled: false }, meta());
    expect(await actorFromToken(token)).toBeNull();
    const [row] = await handle.db.select().from(apiTokens).where(eq(apiTokens.userId, user.id));
    expect(row!.revokedAt).not.toBeNull();
  });

  it("admins list any user's tokens and revoke them; others cannot list", async () => {
    const user = await localUser("first-password-1");
    const token = await tokenFor(user);
    const listed = await listUserTokens(admin, user.id);
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(token.slice(-43)); // the secret part of sy_<id>_<secret>
    await revokeToken.execute(admin, { id: listed[0]!.id }, meta());
    expect(await actorFromToken(token)).toBeNull();
    await expect(listUserTokens(actorWithRole("operator"), user.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("scrypt parameters (§40)", () => {
  it("new hashes use N = 2^17, r = 8, p = 1", async () => {
    const hash = await hashPassword("some-password-1");
    expect(hash.split("$").slice(0, 4)).toEqual(["scrypt", String(1 << 17), "8", "1"]);
    expect(needsRehash(hash)).toBe(false);
  });

  it("a hash stored under N = 2^15 is upgraded at the next successful sign-in, and the password still works", async () => {
    const id = randomUUID();
    const username = `old-${id.slice(0, 8)}`;
    const salt = randomBytes(16);
    const key = scryptSync("legacy-password-1".normalize("NFKC"), salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 128 * (1 << 15) * 8 * 2 });
    const legacy = `scrypt$${1 << 15}$8$1$${salt.toString("base64url")}$${key.toString("base64url")}`;
    await handle.db.insert(users).values({ id, username, displayName: username, source: "local", passwordHash: legacy });
    expect(needsRehash(legacy)).toBe(true);

    expect(await signIn({ username, password: "legacy-password-1", source: "local" }, client)).toMatchObject({ userId: id });
    const [row] = await handle.db.select().from(users).where(eq(users.id, id));
    expect(row!.passwordHash!.split("$")[1]).toBe(String(1 << 17));
    expect(await signIn({ username, password: "legacy-password-1", source: "local" }, client)).toMatchObject({ userId: id });
    expect(await signIn({ username, password: "wrong-password-1", source: "local" }, client)).toBeNull();
  });
});
