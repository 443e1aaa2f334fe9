/** TanStack Query keys for access: every key starts with "access", so one invalidation covers the area. */
export const accessKeys = {
  all: ["access"] as const,
  bindings: () => [...accessKeys.all, "bindings"] as const,
  users: () => [...accessKeys.all, "users"] as const,
  effective: (userId: string) => [...accessKeys.all, "effective", userId] as const,
  userTokens: (userId: string) => [...accessKeys.all, "tokens", userId] as const,
  ldapGroups: (search: string) => [...accessKeys.all, "ldap-groups", search] as const,
};

/** The signed-in user's own API tokens (Settings → Tokens). */
export const myTokenKeys = {
  all: ["me", "tokens"] as const,
};

/** Shared by the binding form (as the user types) and createBinding (the boundary). */
/** A DN as the directory writes it: `attr=value` parts separated by unescaped commas. */
export function looksLikeDn(text: string): boolean {
  const parts = text.trim().split(/(?<!\\),/);
  return parts.length >= 1 && parts.every((p) => /^\s*[A-Za-z][A-Za-z0-9-]*\s*=\s*\S/.test(p));
}
