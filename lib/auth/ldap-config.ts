/**
 * LDAP sign-in configuration from the environment (README documents each variable).
 * Unset SWITCHYARD_LDAP_URL → local accounts only.
 */
import "server-only";
import fs from "node:fs";
import { LdapConfig } from "@/lib/auth/ldap";

let cached: { config: LdapConfig | null } | undefined;

function fromFileOrValue(value: string | undefined, file: string | undefined): string | undefined {
  if (file) return fs.readFileSync(file, "utf8").trim();
  return value;
}

export function ldapConfig(): LdapConfig | null {
  if (cached) return cached.config;
  const env = process.env;
  if (!env.SWITCHYARD_LDAP_URL) {
    cached = { config: null };
    return null;
  }
  const url = env.SWITCHYARD_LDAP_URL;
  const parsed = LdapConfig.safeParse({
    url,
    startTls: url.startsWith("ldap://") && env.SWITCHYARD_LDAP_STARTTLS !== "false",
    caPem: env.SWITCHYARD_LDAP_CA_FILE ? fs.readFileSync(env.SWITCHYARD_LDAP_CA_FILE, "utf8") : undefined,
    bindDn: env.SWITCHYARD_LDAP_BIND_DN,
    bindPassword: fromFileOrValue(env.SWITCHYARD_LDAP_BIND_PASSWORD, env.SWITCHYARD_LDAP_BIND_PASSWORD_FILE),
    userBase: env.SWITCHYARD_LDAP_USER_BASE,
    userFilter: env.SWITCHYARD_LDAP_USER_FILTER ?? "(&(objectClass=inetOrgPerson)(uid={username}))",
    groupBase: env.SWITCHYARD_LDAP_GROUP_BASE,
    groupFilter: env.SWITCHYARD_LDAP_GROUP_FILTER,
    usernameAttribute: env.SWITCHYARD_LDAP_USERNAME_ATTRIBUTE,
    connectTimeoutMs: Number(env.SWITCHYARD_LDAP_CONNECT_TIMEOUT_MS ?? 3_000),
    timeoutMs: Number(env.SWITCHYARD_LDAP_TIMEOUT_MS ?? 4_000),
    allowInsecure: env.SWITCHYARD_LDAP_INSECURE === "true",
  });
  if (!parsed.success) {
    throw new Error(`Invalid LDAP configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  cached = { config: parsed.data };
  return parsed.data;
}

/** Roles are recomputed from LDAP at most this often during a session (docs/security.md §12). */
export function ldapRefreshMs(): number {
  const v = Number(process.env.SWITCHYARD_LDAP_REFRESH_MINUTES ?? 5);
  return (Number.isFinite(v) && v > 0 ? v : 5) * 60_000;
}

/** How long LDAP users keep roles the directory has not confirmed (default 30 minutes). */
export function ldapMaxStaleMs(): number {
  const v = Number(process.env.SWITCHYARD_LDAP_MAX_STALE_MINUTES ?? 30);
  return (Number.isFinite(v) && v > 0 ? v : 30) * 60_000;
}

export function resetLdapConfigCache(): void {
  cached = undefined;
}
