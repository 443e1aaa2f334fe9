/**
 * Browser-side calls to the BFF. Errors arrive as problem+json and become ApiError, which
 * carries the stable code, the field errors and the request id to quote to support.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly requestId: string | undefined,
    readonly fields: Array<{ field: string; message: string }> = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = "ApiError";
  }
}

export async function apiFetch<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  const res = await fetch(path, {
    ...rest,
    credentials: "same-origin",
    headers: { accept: "application/json", ...(json !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  const type = res.headers.get("content-type") ?? "";
  const body: unknown = type.includes("json") ? await res.json().catch(() => null) : null;
  if (!res.ok) {
    const p = (body ?? {}) as Record<string, unknown>;
    throw new ApiError(
      res.status,
      typeof p.code === "string" ? p.code : "HTTP_" + res.status,
      typeof p.detail === "string" ? p.detail : res.statusText,
      typeof p.requestId === "string" ? p.requestId : (res.headers.get("x-request-id") ?? undefined),
      Array.isArray(p.errors) ? (p.errors as ApiError["fields"]) : [],
      p,
    );
  }
  return body as T;
}
