/** Points the console's LDAP settings at the stack's slapd (StartTLS with the test CA). */
import { resetLdapConfigCache } from "@/lib/auth/ldap-config";
import { peerEnv } from "./peers";

export function useStackLdap(overrides: Record<string, string> = {}): void {
  Object.assign(process.env, {
    SWITCHYARD_LDAP_URL: peerEnv("ldap", "LDAP_URL"),
    SWITCHYARD_LDAP_CA_FILE: peerEnv("ldap", "LDAP_CA"),
    SWITCHYARD_LDAP_BIND_DN: peerEnv("ldap", "LDAP_BIND_DN"),
    SWITCHYARD_LDAP_BIND_PASSWORD: peerEnv("ldap", "LDAP_BIND_PASSWORD"),
    SWITCHYARD_LDAP_USER_BASE: peerEnv("ldap", "LDAP_USER_BASE"),
    SWITCHYARD_LDAP_GROUP_BASE: peerEnv("ldap", "LDAP_GROUP_BASE"),
    ...overrides,
  });
  resetLdapConfigCache();
}

export function groupDn(name: string): string {
  return `cn=${name},${peerEnv("ldap", "LDAP_GROUP_BASE")}`;
}

export function userDn(uid: string): string {
  return `uid=${uid},${peerEnv("ldap", "LDAP_USER_BASE")}`;
}

export function ldapPassword(uid: string): string {
  return peerEnv("ldap", `LDAP_PASSWORD_${uid.toUpperCase()}`);
}
