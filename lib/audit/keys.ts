/** TanStack Query keys for the audit log in the browser: every key starts with "audit". */
export const auditKeys = {
  all: ["audit"] as const,
  events: (pageSize: number, query: string) => [...auditKeys.all, "events", pageSize, query] as const,
  event: (id: number) => [...auditKeys.all, "event", id] as const,
  activity: (days: number) => [...auditKeys.all, "activity", days] as const,
};
