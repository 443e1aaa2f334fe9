import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { curlExample } from "@/lib/api-docs/examples";
import { buildOpenApi } from "@/lib/api-docs/openapi";
import { requirePageActor } from "@/lib/auth/page";
import { translate } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "API reference" };

interface Param {
  name: string;
  in: string;
  required?: boolean;
  schema?: Record<string, unknown>;
}
interface Op {
  operationId: string;
  summary: string;
  tags: string[];
  parameters?: Param[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: unknown }>; $ref?: string }>;
  security?: unknown[];
  "x-permission"?: string;
  "x-audit-action"?: string;
}

const METHOD_COLORS: Record<string, string> = {
  get: "bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100",
  post: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100",
  put: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
  patch: "bg-violet-100 text-violet-900 dark:bg-violet-900 dark:text-violet-100",
  delete: "bg-rose-100 text-rose-900 dark:bg-rose-900 dark:text-rose-100",
};

/** The API reference, rendered on the server from the generated document: no script, no CDN. */
export default async function ApiDocsPage() {
  const [, locale] = await Promise.all([requirePageActor(), requestLocale()]);
  const t = (k: Parameters<typeof translate>[1]) => translate(locale, k);
  const doc = buildOpenApi() as { paths: Record<string, Record<string, Op>> };
  const byTag = new Map<string, Array<{ path: string; method: string; op: Op }>>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags[0] ?? "api";
      byTag.set(tag, [...(byTag.get(tag) ?? []), { path, method, op }]);
    }
  }
  return (
    <div className="max-w-5xl space-y-6">
      <div>
        <h1 className="text-xl font-semibold">{t("deploy.apiDocs.title")}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">{t("deploy.apiDocs.hint")}</p>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">{t("deploy.apiDocs.errors")}</p>
        <p className="mt-2 text-sm">
          <a className="text-sky-700 underline dark:text-sky-300" href="/api/v1/openapi.json" download>
            {t("deploy.apiDocs.download")}
          </a>
        </p>
        <pre className="mt-2 overflow-x-auto rounded bg-slate-100 p-3 text-xs dark:bg-slate-900" aria-label={t("deploy.apiDocs.example")}>
          {curlExample()}
        </pre>
      </div>
      {[...byTag].map(([tag, ops]) => (
        <section key={tag} aria-labelledby={`tag-${tag}`} className="space-y-2">
          <h2 id={`tag-${tag}`} className="text-lg font-semibold">
            {tag}
          </h2>
          {ops.map(({ path, method, op }) => (
            <details key={op.operationId} id={op.operationId} className="rounded border border-slate-200 dark:border-slate-700">
              <summary className="flex cursor-pointer flex-wrap items-center gap-2 px-3 py-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500">
                <span className={`w-16 rounded px-1.5 text-center font-mono text-xs font-semibold uppercase ${METHOD_COLORS[method] ?? ""}`}>{method}</span>
                <code className="text-sm">{path}</code>
                <span className="text-sm text-slate-600 dark:text-slate-300">{op.summary}</span>
              </summary>
              <div className="space-y-3 border-t border-slate-200 px-3 py-2 text-sm dark:border-slate-700">
                <div className="flex flex-wrap gap-2">
                  {op.security?.length === 0 && <Badge>{t("deploy.apiDocs.public")}</Badge>}
                  {op["x-permission"] && (
                    <Badge>
                      {t("deploy.apiDocs.permission")}: <code>{op["x-permission"]}</code>
                    </Badge>
                  )}
                  {op["x-audit-action"] && (
                    <Badge>
                      {t("deploy.apiDocs.audit")}: <code>{op["x-audit-action"]}</code>
                    </Badge>
                  )}
                </div>
                {op.parameters && op.parameters.length > 0 && (
                  <div>
                    <h3 className="font-medium">{t("deploy.apiDocs.parameters")}</h3>
                    <ul className="mt-1 space-y-0.5">
                      {op.parameters.map((p) => (
                        <li key={`${p.in}-${p.name}`}>
                          <code>{p.name}</code> <span className="text-slate-500 dark:text-slate-400">({p.in}{p.required ? `, ${t("deploy.apiDocs.required")}` : ""})</span>{" "}
                          <code className="text-xs text-slate-600 dark:text-slate-300">{JSON.stringify(p.schema ?? {})}</code>
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
                {op.requestBody && (
                  <div>
                    <h3 className="font-medium">{t("deploy.apiDocs.body")}</h3>
                    <pre aria-label={t("deploy.apiDocs.body")} className="mt-1 max-h-80 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-900">
                      {JSON.stringify(op.requestBody.content["application/json"]?.schema, null, 2)}
                    </pre>
                  </div>
                )}
                <Responses op={op} t={t} />
              </div>
            </details>
          ))}
        </section>
      ))}
    </div>
  );
}

/** Success statuses with their body schema (the zod response schema, as JSON Schema); problem statuses as a list. */
function Responses({ op, t }: { op: Op; t: (k: Parameters<typeof translate>[1]) => string }) {
  const entries = Object.entries(op.responses);
  const success = entries.filter(([status]) => status.startsWith("2"));
  const problems = entries.filter(([, r]) => r.$ref).map(([status]) => status);
  return (
    <div>
      <h3 className="font-medium">{t("deploy.apiDocs.responses")}</h3>
      <ul className="mt-1 space-y-1">
        {success.map(([status, r]) => (
          <li key={status}>
            <code className="font-semibold">{status}</code> <span className="text-slate-600 dark:text-slate-300">{r.description}</span>
            {r.content && <span className="text-xs text-slate-500 dark:text-slate-400"> ({Object.keys(r.content).join(", ")})</span>}
            {r.content?.["application/json"] && (
              <pre aria-label={`${t("deploy.apiDocs.response")} ${status}`} className="mt-1 max-h-80 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-900">
                {JSON.stringify(r.content["application/json"].schema, null, 2)}
              </pre>
            )}
          </li>
        ))}
      </ul>
      {problems.length > 0 && (
        <p className="mt-1 flex flex-wrap items-center gap-1">
          <span>{t("deploy.apiDocs.problems")}</span>
          {problems.map((s) => (
            <Badge key={s}>{s}</Badge>
          ))}
        </p>
      )}
    </div>
  );
}
