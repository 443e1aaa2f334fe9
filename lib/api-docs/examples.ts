/**
 * The scripting example of the README ("Scripting the API") and of /api-docs: calls with an API
 * token, each checked against the OpenAPI document by lib/api-docs/examples.test.ts (path, method,
 * body), which also checks that the README shows exactly `curlExample()`.
 */
export interface ScriptExample {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  body?: Record<string, unknown>;
}

export const SCRIPT_EXAMPLES: ScriptExample[] = [
  { method: "GET", path: "/api/v1/environments" },
  { method: "PATCH", path: "/api/v1/me/preferences", body: { theme: "dark" } },
];

export const EXAMPLE_BASE_URL = "https://switchyard.example.com";

/** The examples as curl command lines, as the README shows them. */
export function curlExample(base = EXAMPLE_BASE_URL): string {
  return SCRIPT_EXAMPLES.map((e) =>
    e.body === undefined
      ? `curl${e.method === "GET" ? "" : ` -X ${e.method}`} -H "Authorization: Bearer $SWITCHYARD_TOKEN" ${base}${e.path}`
      : `curl -X ${e.method} -H "Authorization: Bearer $SWITCHYARD_TOKEN" -H 'content-type: application/json' \\\n  -d '${JSON.stringify(e.body)}' ${base}${e.path}`,
  ).join("\n");
}
