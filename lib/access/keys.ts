/** TanStack Query keys for access: every key starts with "access", so one invalidation covers the area. */
export const accessKeys = {
  all: ["access"] as const,
  bindings: () => [...accessKeys.all, "bindings"] as const,
  users: () => [...accessKeys.all, "users"] as const,
  effective: (userId: string) => [...accessKeys.all, "effective", userId] as const,
  userTokens: (userId: string) => [...accessKeys.all, "tokens", userId] as const,
};

/** The signed-in user's own API tokens (Settings → Tokens). */
export const myTokenKeys = {
  all: ["me", "tokens"] as const,
};
