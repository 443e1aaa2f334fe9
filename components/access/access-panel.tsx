"use client";

import { useMemo, useRef, useState, type FormEvent } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Badge } from "@/components/ui/badge";
import { Input, Select } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorState, QueryStates, Spinner } from "@/components/ui/states";
import { TableHead } from "@/components/ui/table";
import { ApiError } from "@/lib/api-client";
import {
  useBindings,
  useCreateBinding,
  useCreateLocalUser,
  useDeleteBinding,
  useEffectivePermissions,
  useLdapGroups,
  useResetLocalPassword,
  useRevokeUserToken,
  useSetUserDisabled,
  useUsers,
  useUserTokens,
  type Binding,
  type NewBinding,
  type NewLocalUser,
  type UserView,
} from "@/lib/access/hooks";
import { looksLikeDn } from "@/lib/access/keys";
import type { TokenView } from "@/lib/access/tokens";

type Pending =
  | { kind: "add"; body: NewBinding; label: string }
  | { kind: "remove"; binding: Binding }
  | { kind: "disable"; user: UserView }
  | { kind: "reset"; user: UserView; password: string }
  | { kind: "createUser"; body: NewLocalUser };

const ROLES = ["admin", "operator", "developer", "auditor", "viewer"] as const;

function describe(b: { subjectKind: string; role: string; environmentSelector: string; namespacePattern: string }, name: string): string {
  return `${b.subjectKind} ${name} → ${b.role} [env ${b.environmentSelector}, ns ${b.namespacePattern}]`;
}

/** `selfId`: the signed-in admin's own account, which offers no Disable (an admin cannot lock themself out here). */
export function AccessPanel({ canAdmin, selfId }: { canAdmin: boolean; selfId: string }) {
  const { t } = useI18n();
  const bindings = useBindings();
  const users = useUsers();
  const [pending, setPending] = useState<Pending | null>(null);
  const [subjectKind, setSubjectKind] = useState<"user" | "group">("group");
  // A group is looked up by name; the binding stores the DN (typed or picked).
  const [groupDn, setGroupDn] = useState("");
  const [groupSearch, setGroupSearch] = useState("");
  const groups = useLdapGroups(canAdmin && subjectKind === "group" ? groupSearch : "");
  const dnProblem = subjectKind === "group" && groupDn.trim() !== "" && !looksLikeDn(groupDn);
  const bindingForm = useRef<HTMLFormElement>(null);
  const userForm = useRef<HTMLFormElement>(null);
  const [filter, setFilter] = useState("");
  const [who, setWho] = useState("");

  // One hook per kind of change; the dialog shows the state of the one it confirms.
  const changes = {
    add: useCreateBinding(),
    remove: useDeleteBinding(),
    disable: useSetUserDisabled(),
    reset: useResetLocalPassword(),
    createUser: useCreateLocalUser(),
  };
  const apply = changes[pending?.kind ?? "add"];
  const done = { onSuccess: () => setPending(null) };
  // A created binding or account clears its form: the values typed were for that one.
  const added = {
    onSuccess: () => {
      setPending(null);
      bindingForm.current?.reset();
      setGroupDn("");
      setGroupSearch("");
    },
  };
  const created = { onSuccess: () => (setPending(null), userForm.current?.reset()) };
  function confirmChange(p: Pending) {
    if (p.kind === "add") changes.add.mutate(p.body, added);
    else if (p.kind === "remove") changes.remove.mutate(p.binding, done);
    else if (p.kind === "disable") changes.disable.mutate(p.user, done);
    else if (p.kind === "reset") changes.reset.mutate({ user: p.user, password: p.password }, done);
    else changes.createUser.mutate(p.body, created);
  }
  /** Opens a confirmation with a clean slate for its change. */
  function ask(p: Pending) {
    changes[p.kind].reset();
    setPending(p);
  }

  const visible = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (bindings.data ?? []).filter((b) => !f || `${b.subjectName} ${b.role} ${b.environmentSelector} ${b.namespacePattern}`.toLowerCase().includes(f));
  }, [bindings.data, filter]);

  function onAdd(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    if (dnProblem) return;
    const body = {
      subjectKind,
      subject: subjectKind === "group" ? groupDn.trim() : String(f.get("subject") ?? "").trim(),
      role: String(f.get("role")),
      environmentSelector: String(f.get("environmentSelector") || "*").trim(),
      namespacePattern: String(f.get("namespacePattern") || "*").trim(),
    };
    const label = subjectKind === "user" ? (users.data?.find((u) => u.id === body.subject)?.username ?? body.subject) : body.subject;
    ask({ kind: "add", body, label });
  }

  function onCreateUser(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    ask({ kind: "createUser", body: { username: String(f.get("username") ?? ""), displayName: String(f.get("displayName") ?? ""), password: String(f.get("password") ?? "") } });
  }

  const dialog = (() => {
    if (!pending) return null;
    const common = { pending: apply.isPending, onConfirm: () => confirmChange(pending), onCancel: () => setPending(null), error: apply.isError ? <ErrorState error={apply.error} /> : undefined };
    const fieldErrors = apply.error instanceof ApiError && apply.error.fields.length ? apply.error.fields.map((x) => `${x.field}: ${x.message}`).join("; ") : null;
    const errorNode = fieldErrors ? <p className="text-sm text-red-700">{fieldErrors}</p> : common.error;
    switch (pending.kind) {
      case "add":
        return <ConfirmDialog {...common} error={errorNode} title={t("access.confirmTitle")} before="" after={describe(pending.body, pending.label)} confirmLabel={t("access.confirmAdd")} />;
      case "remove":
        return <ConfirmDialog {...common} title={t("access.confirmTitle")} before={describe(pending.binding, pending.binding.subjectName)} after="" confirmLabel={t("access.confirmRemove")} danger />;
      case "disable":
        return (
          <ConfirmDialog
            {...common}
            title={t("access.confirmTitle")}
            before={`${pending.user.username}: ${pending.user.disabled ? "disabled" : "enabled"}`}
            after={`${pending.user.username}: ${pending.user.disabled ? "enabled" : "disabled (sessions ended, API tokens revoked)"}`}
            confirmLabel={pending.user.disabled ? t("access.enable") : t("access.disable")}
            danger={!pending.user.disabled}
          />
        );
      case "reset":
        return (
          <ConfirmDialog
            {...common}
            error={errorNode}
            title={t("access.confirmTitle")}
            before={`${pending.user.username}: current password, sessions open`}
            after={`${pending.user.username}: new password, every session ended, every API token revoked`}
            confirmLabel={t("access.resetPassword")}
            danger
          >
            <label className="block text-xs">
              {t("settings.newPassword")}
              <Input
                type="password"
                autoComplete="new-password"
                className="mt-1 w-full"
                value={pending.password}
                onChange={(e) => setPending({ ...pending, password: e.target.value })}
                data-testid="reset-password-input"
              />
            </label>
          </ConfirmDialog>
        );
      case "createUser":
        return <ConfirmDialog {...common} error={errorNode} title={t("access.confirmTitle")} before="" after={`local account ${pending.body.username} (${pending.body.displayName}), no role yet`} confirmLabel={t("access.newLocal")} />;
    }
  })();

  return (
    <div className="space-y-6">
      <Card title={t("access.bindings")} actions={<Input aria-label={t("access.filter")} placeholder={t("access.filter")} value={filter} onChange={(e) => setFilter(e.target.value)} />}>
        <QueryStates query={bindings} isEmpty={() => visible.length === 0}>
          {() => (
            <table className="w-full text-left text-sm" data-testid="bindings-table">
              <TableHead columns={[t("access.subject"), t("access.role"), t("access.scope"), t("access.createdBy"), null]} />
              <tbody>
                {visible.map((b) => (
                  <tr key={b.id} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="py-1.5">
                      <Badge className="mr-1">{b.subjectKind}</Badge>
                      <span className="break-all">{b.subjectName}</span>
                    </td>
                    <td>{b.role}</td>
                    <td className="text-xs">
                      env {b.environmentSelector} · ns {b.namespacePattern}
                    </td>
                    <td className="text-xs">{b.createdBy}</td>
                    <td className="text-right">
                      {canAdmin && (
                        <Button variant="ghost" onClick={() => ask({ kind: "remove", binding: b })}>
                          {t("access.delete")}
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryStates>
        {canAdmin && (
          <form
            ref={bindingForm}
            method="post"
            onSubmit={onAdd}
            className="mt-4 grid gap-3 border-t border-slate-100 pt-4 lg:grid-cols-[max-content_minmax(16rem,2fr)_max-content_1fr_1fr] dark:border-slate-800"
            aria-label={t("access.addBinding")}
          >
            <label className="text-xs">
              {t("access.subjectKind")}
              <Select className="mt-1 w-full" value={subjectKind} onChange={(e) => setSubjectKind(e.target.value as "user" | "group")} data-testid="binding-kind">
                <option value="group">{t("access.group")}</option>
                <option value="user">{t("access.user")}</option>
              </Select>
            </label>
            {subjectKind === "user" ? (
              <label className="text-xs">
                {t("access.subject")}
                <Select name="subject" className="mt-1 w-full" required>
                  {(users.data ?? []).map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.username} ({u.source})
                    </option>
                  ))}
                </Select>
              </label>
            ) : (
              <div className="space-y-2 text-xs">
                <label className="block">
                  {t("access.groupDn")}
                  <Input
                    name="subject"
                    required
                    value={groupDn}
                    onChange={(e) => setGroupDn(e.target.value)}
                    placeholder="cn=platform-ops,ou=groups,dc=example,dc=com"
                    aria-invalid={dnProblem}
                    aria-describedby="group-dn-problem"
                    className={`mt-1 w-full font-mono ${dnProblem ? "border-red-600" : ""}`}
                    data-testid="binding-subject"
                  />
                </label>
                {dnProblem && (
                  <p id="group-dn-problem" role="alert" className="text-red-700 dark:text-red-300" data-testid="binding-subject-problem">
                    {t("access.groupNotDn")}
                  </p>
                )}
                <label className="block">
                  {t("access.groupLookup")}
                  <Input value={groupSearch} onChange={(e) => setGroupSearch(e.target.value)} placeholder={t("access.groupLookupHint")} className="mt-1 w-full" data-testid="group-lookup" />
                </label>
                {groups.isFetching && <p className="text-slate-500">{t("common.loading")}</p>}
                {groups.isError && <ErrorState error={groups.error} />}
                {groups.data && !groups.data.configured && <p className="text-slate-500">{t("access.noLdap")}</p>}
                {groups.data?.configured && groups.data.items.length === 0 && <p className="text-slate-500">{t("access.noGroupMatch")}</p>}
                {groups.data?.configured && groups.data.items.length > 0 && (
                  <ul className="max-h-40 overflow-auto rounded border border-slate-200 dark:border-slate-700" data-testid="group-matches">
                    {groups.data.items.map((g) => (
                      <li key={g.dn}>
                        <button
                          type="button"
                          onClick={() => (setGroupDn(g.dn), setGroupSearch(""))}
                          className="block w-full px-2 py-1 text-left hover:bg-sky-50 focus:bg-sky-50 focus:outline-none dark:hover:bg-slate-800 dark:focus:bg-slate-800"
                        >
                          <span className="font-medium">{g.name}</span> <span className="font-mono text-slate-500">{g.dn}</span>
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
            <label className="text-xs">
              {t("access.role")}
              <Select name="role" className="mt-1 w-full" defaultValue="viewer" data-testid="binding-role">
                {ROLES.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </Select>
            </label>
            <label className="text-xs">
              {t("tokens.envSelector")}
              <Input name="environmentSelector" placeholder="*" className="mt-1 w-full" />
            </label>
            <label className="text-xs">
              {t("tokens.nsPattern")}
              <Input name="namespacePattern" placeholder="*" className="mt-1 w-full" />
            </label>
            <div className="lg:col-span-full">
              <Button type="submit" disabled={dnProblem} data-testid="binding-add">
                {t("access.addBinding")}
              </Button>
            </div>
          </form>
        )}
      </Card>

      <Card title={t("access.accounts")}>
        <QueryStates query={users}>
          {(list) => (
            <table className="w-full text-left text-sm" data-testid="users-table">
              <tbody>
                {list.map((u) => (
                  <tr key={u.id} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="py-1.5">
                      {u.displayName} <span className="text-xs text-slate-500">({u.username})</span>
                    </td>
                    <td className="text-xs">{u.source}</td>
                    <td className="text-xs">{u.disabled ? t("access.disabled") : ""}</td>
                    <td className="text-right">
                      {canAdmin && u.source === "local" && (
                        <Button variant="ghost" onClick={() => ask({ kind: "reset", user: u, password: "" })}>
                          {t("access.resetPassword")}
                        </Button>
                      )}
                      {canAdmin && u.id !== selfId && (
                        <Button variant="ghost" onClick={() => ask({ kind: "disable", user: u })}>
                          {u.disabled ? t("access.enable") : t("access.disable")}
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryStates>
        {canAdmin && (
          <form ref={userForm} method="post" onSubmit={onCreateUser} className="mt-4 grid gap-3 border-t border-slate-100 pt-4 sm:grid-cols-4 dark:border-slate-800" aria-label={t("access.newLocal")}>
            <label className="text-xs">
              {t("login.username")}
              <Input name="username" required className="mt-1 w-full" autoComplete="off" />
            </label>
            <label className="text-xs">
              {t("access.displayName")}
              <Input name="displayName" required className="mt-1 w-full" autoComplete="off" />
            </label>
            <label className="text-xs">
              {t("login.password")}
              <Input name="password" type="password" required className="mt-1 w-full" autoComplete="new-password" />
            </label>
            <div className="flex items-end">
              <Button type="submit">{t("access.newLocal")}</Button>
            </div>
          </form>
        )}
      </Card>

      <Card title={t("access.who")}>
        <label className="text-xs">
          {t("access.pickUser")}
          <Select className="mt-1 w-full max-w-sm" value={who} onChange={(e) => setWho(e.target.value)} data-testid="who-user">
            <option value="">—</option>
            {(users.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.username} ({u.source})
              </option>
            ))}
          </Select>
        </label>
        {who && <Effective userId={who} />}
        {who && <UserTokens userId={who} canAdmin={canAdmin} />}
      </Card>
      {dialog}
    </div>
  );
}

function Effective({ userId }: { userId: string }) {
  const { t } = useI18n();
  const q = useEffectivePermissions(userId);
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorState error={q.error} />;
  if (q.data.permissions.length === 0) return <p className="mt-3 text-sm">{t("access.noPermissions")}</p>;
  return (
    <table className="mt-3 w-full text-left text-sm" data-testid="effective-table">
      <thead className="text-xs uppercase text-slate-500">
        <tr>
          <th className="py-1">{t("access.permission")}</th>
          <th>{t("access.grantedBy")}</th>
        </tr>
      </thead>
      <tbody>
        {q.data.permissions.map((p) => (
          <tr key={p.permission} className="border-t border-slate-100 dark:border-slate-800">
            <td className="py-1 font-mono text-xs">{p.permission}</td>
            <td className="text-xs">{p.grantedBy.map((g) => `${g.role} [env ${g.environmentSelector}, ns ${g.namespacePattern}] via ${g.via}`).join("; ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}


/** A user's API tokens; admins revoke any of them behind a confirmation. */
function UserTokens({ userId, canAdmin }: { userId: string; canAdmin: boolean }) {
  const { t } = useI18n();
  const q = useUserTokens(userId);
  const [pending, setPending] = useState<TokenView | null>(null);
  const revoke = useRevokeUserToken(userId);
  return (
    <div className="mt-4">
      <h3 className="text-sm font-medium">{t("tokens.title")}</h3>
      <QueryStates query={q}>
        {(tokens) =>
          tokens.length === 0 ? (
            <p className="mt-2 text-sm text-slate-500">{t("tokens.empty")}</p>
          ) : (
            <table className="mt-2 w-full text-left text-sm" data-testid="user-tokens-table">
              <tbody>
                {tokens.map((tok) => (
                  <tr key={tok.id} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="py-1">{tok.name}</td>
                    <td className="text-xs">
                      env {tok.environmentSelector} · ns {tok.namespacePattern}
                      {tok.readOnly ? ` · ${t("tokens.readOnly")}` : ""}
                    </td>
                    <td className="text-xs">
                      {t("tokens.lastUsed")}: {tok.lastUsedAt ? new Date(tok.lastUsedAt).toLocaleString() : t("tokens.never")}
                    </td>
                    <td className="text-xs">{tok.revokedAt ? t("tokens.revoked") : tok.expired ? t("tokens.expired") : ""}</td>
                    <td className="text-right">
                      {canAdmin && !tok.revokedAt && !tok.expired && (
                        <Button variant="ghost" onClick={() => (revoke.reset(), setPending(tok))}>
                          {t("tokens.revoke")}
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryStates>
      {pending && (
        <ConfirmDialog
          title={t("access.confirmTitle")}
          before={`token ${pending.name}: active`}
          after={`token ${pending.name}: revoked`}
          confirmLabel={t("tokens.revoke")}
          danger
          pending={revoke.isPending}
          error={revoke.isError ? <ErrorState error={revoke.error} /> : undefined}
          onConfirm={() => revoke.mutate(pending, { onSuccess: () => setPending(null) })}
          onCancel={() => setPending(null)}
        />
      )}
    </div>
  );
}
