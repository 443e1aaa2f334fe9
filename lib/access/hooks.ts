"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { accessKeys, myTokenKeys } from "@/lib/access/keys";
import type { TokenView } from "@/lib/access/tokens";

/** Client views of the access API (what the routes under /api/v1/access answer). */
export interface Binding {
  id: string;
  subjectKind: "user" | "group";
  subject: string;
  subjectName: string;
  role: string;
  environmentSelector: string;
  namespacePattern: string;
  createdBy: string;
}
export type NewBinding = Omit<Binding, "id" | "subjectName" | "createdBy">;
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  source: string;
  disabled: boolean;
  groups: string[];
}
export interface EffectivePermissions {
  permissions: Array<{ permission: string; grantedBy: Array<{ role: string; environmentSelector: string; namespacePattern: string; via: string }> }>;
}
export interface NewLocalUser {
  username: string;
  displayName: string;
  password: string;
}

export function useBindings() {
  return useQuery({ queryKey: accessKeys.bindings(), queryFn: () => apiFetch<Binding[]>("/api/v1/access/bindings") });
}

export function useUsers() {
  return useQuery({ queryKey: accessKeys.users(), queryFn: () => apiFetch<UserView[]>("/api/v1/access/users") });
}

export function useEffectivePermissions(userId: string) {
  return useQuery({ queryKey: accessKeys.effective(userId), queryFn: () => apiFetch<EffectivePermissions>(`/api/v1/access/users/${userId}/effective`) });
}

export interface LdapGroupMatch {
  dn: string;
  name: string;
  description?: string;
}

/** LDAP groups whose name contains `search` (at least 2 characters; admins only). */
export function useLdapGroups(search: string) {
  const text = search.trim();
  return useQuery({
    enabled: text.length >= 2,
    queryKey: accessKeys.ldapGroups(text),
    queryFn: () => apiFetch<{ configured: boolean; items: LdapGroupMatch[] }>(`/api/v1/access/groups?search=${encodeURIComponent(text)}`),
    staleTime: 30_000,
  });
}

export function useUserTokens(userId: string) {
  return useQuery({ queryKey: accessKeys.userTokens(userId), queryFn: () => apiFetch<TokenView[]>(`/api/v1/access/users/${userId}/tokens`) });
}

/** Every access change can alter bindings, accounts, effective permissions and tokens: refetch the area. */
function useAccessMutation<V>(mutationFn: (v: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => void qc.invalidateQueries({ queryKey: accessKeys.all }) });
}

export function useCreateBinding() {
  return useAccessMutation((body: NewBinding) => apiFetch("/api/v1/access/bindings", { method: "POST", json: body }));
}

export function useDeleteBinding() {
  return useAccessMutation((binding: Pick<Binding, "id">) => apiFetch(`/api/v1/access/bindings/${binding.id}`, { method: "DELETE" }));
}

/** Flips the account: disables an enabled one, enables a disabled one. */
export function useSetUserDisabled() {
  return useAccessMutation((user: Pick<UserView, "id" | "disabled">) => apiFetch(`/api/v1/access/users/${user.id}`, { method: "PATCH", json: { disabled: !user.disabled } }));
}

export function useResetLocalPassword() {
  return useAccessMutation((v: { user: Pick<UserView, "id">; password: string }) =>
    apiFetch(`/api/v1/access/users/${v.user.id}/password`, { method: "POST", json: { password: v.password } }),
  );
}

export function useCreateLocalUser() {
  return useAccessMutation((body: NewLocalUser) => apiFetch("/api/v1/access/users", { method: "POST", json: body }));
}

/** An admin revokes someone's token (Access → who can do what). */
export function useRevokeUserToken(userId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (tok: Pick<TokenView, "id">) => apiFetch(`/api/v1/access/users/${userId}/tokens/${tok.id}`, { method: "DELETE" }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: accessKeys.userTokens(userId) }),
  });
}

export function useMyTokens() {
  return useQuery({ queryKey: myTokenKeys.all, queryFn: () => apiFetch<TokenView[]>("/api/v1/me/tokens") });
}

export function useCreateMyToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => apiFetch<{ token: string }>("/api/v1/me/tokens", { method: "POST", json: body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: myTokenKeys.all }),
  });
}

export function useRevokeMyToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(`/api/v1/me/tokens/${id}`, { method: "DELETE" }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: myTokenKeys.all }),
  });
}
