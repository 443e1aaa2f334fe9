/** Client facts for audit rows. The IP is informational only: no decision ever trusts it. */
export interface ClientInfo {
  clientIp: string | null;
  userAgent: string | null;
}

type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function header(h: HeaderSource, name: string): string | null {
  if (typeof (h as { get?: unknown }).get === "function") return (h as { get(n: string): string | null }).get(name);
  const v = (h as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

export function clientInfo(h: HeaderSource): ClientInfo {
  const xff = header(h, "x-forwarded-for");
  const ip = xff ? xff.split(",")[0]!.trim() : header(h, "x-real-ip");
  return { clientIp: ip ? ip.slice(0, 64) : null, userAgent: header(h, "user-agent")?.slice(0, 512) ?? null };
}
