"use client";

import { useState, type KeyboardEvent } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { UnreachableBanner } from "@/components/services/unreachable-banner";
import { Banner } from "@/components/ui/banner";
import { Input, Textarea } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState, ErrorState, Spinner } from "@/components/ui/states";
import { ApiError } from "@/lib/api-client";
import { useDeleteZnode, useWriteZnode, useZnode } from "@/lib/registry/hooks";

type Pending = { kind: "save"; data: string } | { kind: "delete" } | { kind: "create"; name: string; data: string };

const childPath = (parent: string, name: string) => `${parent === "/" ? "" : parent}/${name}`;
const parentOf = (path: string) => path.slice(0, path.lastIndexOf("/")) || "/";

/** Dubbo names its nodes with URL-encoded URLs: show the decoded form as a hint. */
function decoded(name: string): string | undefined {
  try {
    const d = decodeURIComponent(name);
    return d === name ? undefined : d;
  } catch {
    return undefined;
  }
}

/**
 * Raw znodes of one ZooKeeper environment, relative to its registry root: breadcrumb,
 * keyboard-navigable children, data (text or "binary, N bytes") and stat. Admins edit, create
 * and delete through a confirmed diff; every change carries the version that was loaded.
 */
export function ZnodeBrowser({ environment, root, canWrite }: { environment: string; root: string; canWrite: boolean }) {
  const { t, locale } = useI18n();
  const [path, setPath] = useState("/");
  const [draft, setDraft] = useState<string | null>(null);
  const [newChild, setNewChild] = useState<{ name: string; data: string } | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const node = useZnode(environment, path);
  const write = useWriteZnode(environment);
  const remove = useDeleteZnode(environment);
  // What the dialog shows: the state of the change it confirms.
  const change = pending?.kind === "delete" ? remove : write;
  const resetChanges = () => (write.reset(), remove.reset());
  function applyChange(p: Pending) {
    const loaded = node.data!;
    const done = () => {
      setPending(null);
      setDraft(null);
      setNewChild(null);
      if (p.kind === "delete") go(parentOf(path));
    };
    if (p.kind === "save") write.mutate({ path, data: p.data, expectedVersion: loaded.stat.version }, { onSuccess: done });
    else if (p.kind === "create") write.mutate({ path: childPath(path, p.name), data: p.data, create: true }, { onSuccess: done });
    else remove.mutate({ path, expectedVersion: loaded.stat.version }, { onSuccess: done });
  }

  function go(next: string) {
    setPath(next);
    setDraft(null);
    setNewChild(null);
    resetChanges();
  }

  function reload() {
    setPending(null);
    setDraft(null);
    resetChanges();
    void node.refetch();
  }

  // ↑/↓ move between children, Home/End jump, ← or Backspace go to the parent; Enter opens.
  function onListKey(e: KeyboardEvent<HTMLUListElement>) {
    const items = Array.from(e.currentTarget.querySelectorAll<HTMLButtonElement>("button[data-child]"));
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    const focus = (i: number) => items[Math.max(0, Math.min(items.length - 1, i))]?.focus();
    if (e.key === "ArrowDown") focus(at + 1);
    else if (e.key === "ArrowUp") focus(at - 1);
    else if (e.key === "Home") focus(0);
    else if (e.key === "End") focus(items.length - 1);
    else if ((e.key === "ArrowLeft" || e.key === "Backspace") && path !== "/") go(parentOf(path));
    else return;
    e.preventDefault();
  }

  const conflict = change.error instanceof ApiError && change.error.status === 409;
  const unreachable = node.error instanceof ApiError && node.error.status >= 502;
  const segments = path.split("/").filter(Boolean);
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" });
  const data = node.data;

  return (
    <div className="space-y-4" data-testid="znode-browser">
      <nav aria-label={t("zk.path")} className="flex flex-wrap items-center gap-1 font-mono text-sm" data-testid="znode-breadcrumb">
        <button type="button" className="rounded px-1 text-sky-700 hover:underline dark:text-sky-400" onClick={() => go("/")} title={root}>
          {t("zk.root")} ({root})
        </button>
        {segments.map((s, i) => {
          const to = "/" + segments.slice(0, i + 1).join("/");
          return (
            <span key={to} className="flex items-center gap-1">
              <span className="text-slate-400">/</span>
              {i === segments.length - 1 ? (
                <span aria-current="page" className="break-all" title={decoded(s)}>
                  {s}
                </span>
              ) : (
                <button type="button" className="break-all rounded px-1 text-sky-700 hover:underline dark:text-sky-400" onClick={() => go(to)} title={decoded(s)}>
                  {s}
                </button>
              )}
            </span>
          );
        })}
      </nav>

      {unreachable && <UnreachableBanner environment={environment} system="ZooKeeper" error={node.error as ApiError} onRetry={() => void node.refetch()} />}
      {node.isPending && <Spinner />}
      {node.isError && !unreachable && <ErrorState error={node.error} onRetry={() => void node.refetch()} />}

      {data && (
        <div className="grid gap-4 md:grid-cols-[minmax(14rem,1fr)_2fr]">
          <section className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
            <div className="mb-2 flex items-center justify-between">
              <h2 className="text-sm font-semibold">
                {t("zk.children")} ({data.children.length})
              </h2>
              {path !== "/" && (
                <Button variant="ghost" onClick={() => go(parentOf(path))}>
                  ↑ {t("zk.parent")}
                </Button>
              )}
            </div>
            <p className="mb-2 text-xs text-slate-500">{t("zk.keyboardHint")}</p>
            {data.children.length === 0 ? (
              <EmptyState>{t("zk.noChildren")}</EmptyState>
            ) : (
              <ul aria-label={t("zk.children")} onKeyDown={onListKey} className="max-h-[28rem] overflow-auto text-sm" data-testid="znode-children">
                {data.children.map((c) => (
                  <li key={c}>
                    <button
                      type="button"
                      data-child
                      onClick={() => go(childPath(path, c))}
                      title={decoded(c)}
                      className="w-full break-all rounded px-2 py-1 text-left font-mono text-xs hover:bg-sky-50 focus:bg-sky-50 focus:outline-none focus:ring-2 focus:ring-sky-500 dark:hover:bg-slate-800 dark:focus:bg-slate-800"
                    >
                      {c}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {canWrite && (
              <div className="mt-3 border-t border-slate-100 pt-3 dark:border-slate-800">
                {newChild ? (
                  <div className="space-y-2">
                    <label className="block text-xs">
                      {t("zk.childName")}
                      <Input className="mt-1 w-full font-mono" value={newChild.name} onChange={(e) => setNewChild({ ...newChild, name: e.target.value })} autoFocus data-testid="znode-new-name" />
                    </label>
                    <label className="block text-xs">
                      {t("zk.data")}
                      <Textarea className="mt-1 h-20 w-full font-mono" value={newChild.data} onChange={(e) => setNewChild({ ...newChild, data: e.target.value })} />
                    </label>
                    <div className="flex gap-2">
                      <Button disabled={!newChild.name || newChild.name.includes("/")} onClick={() => (resetChanges(), setPending({ kind: "create", ...newChild }))}>
                        {t("zk.create")}
                      </Button>
                      <Button variant="secondary" onClick={() => setNewChild(null)}>
                        {t("zk.cancel")}
                      </Button>
                    </div>
                  </div>
                ) : (
                  <Button variant="secondary" onClick={() => setNewChild({ name: "", data: "" })} data-testid="znode-new">
                    {t("zk.create")}
                  </Button>
                )}
              </div>
            )}
          </section>

          <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
            <div className="flex items-center justify-between gap-2">
              <h2 className="text-sm font-semibold">{t("zk.data")}</h2>
              {canWrite && draft === null && (
                <div className="flex gap-2">
                  {!data.binary && (
                    <Button variant="secondary" onClick={() => (resetChanges(), setDraft(data.data))} data-testid="znode-edit">
                      {t("zk.edit")}
                    </Button>
                  )}
                  {path !== "/" && (
                    <Button variant="danger" disabled={data.stat.numChildren > 0} title={data.stat.numChildren > 0 ? t("zk.hasChildren") : undefined} onClick={() => (resetChanges(), setPending({ kind: "delete" }))} data-testid="znode-delete">
                      {t("zk.delete")}
                    </Button>
                  )}
                </div>
              )}
            </div>
            {draft !== null ? (
              <div className="space-y-2">
                <Textarea aria-label={t("zk.data")} className="h-64 w-full font-mono text-xs" value={draft} onChange={(e) => setDraft(e.target.value)} autoFocus data-testid="znode-editor" />
                <div className="flex gap-2">
                  <Button disabled={draft === data.data} onClick={() => (resetChanges(), setPending({ kind: "save", data: draft }))} data-testid="znode-save">
                    {t("zk.save")}
                  </Button>
                  <Button variant="secondary" onClick={() => setDraft(null)}>
                    {t("zk.cancel")}
                  </Button>
                </div>
              </div>
            ) : data.binary ? (
              <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="znode-data">
                {t("zk.binary", { n: data.size })}
                {canWrite && <span className="ml-2 text-xs text-slate-500">{t("zk.binaryNoEdit")}</span>}
              </p>
            ) : data.data === "" ? (
              <p className="text-sm text-slate-500" data-testid="znode-data">
                {t("zk.empty")}
              </p>
            ) : (
              <pre className="max-h-80 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-950" data-testid="znode-data">
                {data.data}
              </pre>
            )}
            {conflict && !pending && (
              <Banner tone="warning" role="alert" data-testid="znode-conflict">
                <p>{t("zk.conflict")}</p>
                <p className="mt-1 text-xs opacity-80">{(change.error as ApiError).detail}</p>
                <Button variant="secondary" className="mt-2" onClick={reload}>
                  {t("zk.reload")}
                </Button>
              </Banner>
            )}

            <h2 className="pt-2 text-sm font-semibold">{t("zk.stat")}</h2>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs" data-testid="znode-stat">
              <dt className="text-slate-500">{t("zk.version")}</dt>
              <dd>{data.stat.version}</dd>
              <dt className="text-slate-500">{t("zk.cversion")}</dt>
              <dd>{data.stat.cversion}</dd>
              <dt className="text-slate-500">{t("zk.children")}</dt>
              <dd>{data.stat.numChildren}</dd>
              <dt className="text-slate-500">{t("zk.dataLength")}</dt>
              <dd>{data.stat.dataLength}</dd>
              <dt className="text-slate-500">{t("zk.ctime")}</dt>
              <dd>{data.stat.ctime ? fmt.format(data.stat.ctime) : "—"}</dd>
              <dt className="text-slate-500">{t("zk.mtime")}</dt>
              <dd>{data.stat.mtime ? fmt.format(data.stat.mtime) : "—"}</dd>
              <dt className="text-slate-500">{t("zk.ephemeralOwner")}</dt>
              <dd className="font-mono">{data.stat.ephemeralOwner ?? t("zk.persistent")}</dd>
            </dl>
          </section>
        </div>
      )}

      {pending && data && (
        <ConfirmDialog
          title={pending.kind === "save" ? t("zk.saveTitle", { path, version: data.stat.version }) : pending.kind === "delete" ? t("zk.deleteTitle", { path }) : t("zk.createTitle", { path: childPath(path, pending.name) })}
          before={pending.kind === "create" ? "" : data.binary ? t("zk.binary", { n: data.size }) : data.data}
          after={pending.kind === "delete" ? "" : pending.data}
          confirmLabel={pending.kind === "delete" ? t("zk.delete") : pending.kind === "create" ? t("zk.create") : t("zk.save")}
          danger={pending.kind === "delete"}
          pending={change.isPending}
          // After a conflict the same write would be refused again: reload (or cancel) first.
          confirmDisabled={conflict}
          error={
            change.isError ? (
              conflict ? (
                <Banner tone="warning" role="alert">
                  <p>{pending.kind === "create" ? (change.error as ApiError).detail : t("zk.conflict")}</p>
                  {pending.kind !== "create" && (
                    <Button variant="secondary" className="mt-2" onClick={reload}>
                      {t("zk.reload")}
                    </Button>
                  )}
                </Banner>
              ) : (
                <ErrorState error={change.error} />
              )
            ) : undefined
          }
          onConfirm={() => applyChange(pending)}
          onCancel={() => setPending(null)}
        />
      )}
    </div>
  );
}
