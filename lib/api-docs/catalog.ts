/**
 * The API catalog: one entry per /api/v1 route and method, naming the zod schemas the route
 * validates with — an operation (`op`: its input schema, permission and audit action) or the
 * body / query schema it reads. lib/api-docs/openapi.ts turns it into the OpenAPI 3.1 document
 * served at /api/v1/openapi.json and shown at /api-docs; nothing in it is written by hand but the
 * summary. lib/api-docs/openapi.test.ts walks app/api/v1 on disk and names any route missing here.
 *
 * Adding a route = adding one line at the end:
 *   { method: "GET", path: "/api/v1/<path with {param}>", summary: "…", query: TheQuerySchema },
 *   { method: "POST", path: "/api/v1/…", summary: "…", op: op(theOperation) },
 * and one line naming what it answers to ResponseViews in lib/api-docs/responses/views.ts, then
 * `node scripts/gen-response-schemas.mts` (its response schema; statuses other than 200 in
 * lib/api-docs/responses/index.ts).
 */
import "server-only";
import type { z } from "zod";
import type { Operation } from "@/lib/ops/define-operation";
import { createBinding } from "@/lib/access/create-binding";
import { createLocalUser } from "@/lib/access/create-local-user";
import { createToken } from "@/lib/access/create-token";
import { deleteBinding } from "@/lib/access/delete-binding";
import { LdapGroupQuery } from "@/lib/access/ldap-groups";
import { resetLocalPassword } from "@/lib/access/reset-local-password";
import { revokeToken } from "@/lib/access/revoke-token";
import { setUserDisabled } from "@/lib/access/set-user-disabled";
import { AuditActivityQuery, AuditExportQuery, AuditPageInput } from "@/lib/audit/query";
import { abortGray } from "@/lib/configs/abort-gray";
import { CompareInput, ConfigBetasInput, ConfigKeyInput, ConfigListInput, HistoryListInput, HistoryRecordInput } from "@/lib/configs/configs";
import { createConfig } from "@/lib/configs/create-config";
import { deleteConfig } from "@/lib/configs/delete-config";
import { GrayPreviewQuery } from "@/lib/configs/gray";
import { promoteGray } from "@/lib/configs/promote-gray";
import { rollbackConfig } from "@/lib/configs/rollback-config";
import { startGray } from "@/lib/configs/start-gray";
import { updateConfig } from "@/lib/configs/update-config";
import { widenGray } from "@/lib/configs/widen-gray";
import { cloneConfigs } from "@/lib/configs/clone-configs";
import { exportConfigs } from "@/lib/configs/export-configs";
import { importConfigs } from "@/lib/configs/import-configs";
import { createEnvironment } from "@/lib/environments/create-environment";
import { deleteEnvironment, DeleteEnvironmentQuery } from "@/lib/environments/delete-environment";
import { updateEnvironment } from "@/lib/environments/update-environment";
import { applyObject } from "@/lib/gateway/apply-object";
import { deleteObject } from "@/lib/gateway/delete-object";
import { drainZone } from "@/lib/gateway/drain-zone";
import { ListInput, RegistriesInput, RouteListInput } from "@/lib/gateway/reads";
import { rollbackObject } from "@/lib/gateway/rollback-object";
import { updateRegistries } from "@/lib/gateway/update-registries";
import { applyPolicies } from "@/lib/mesh/apply-policies";
import { applyPolicy } from "@/lib/mesh/apply-policy";
import { deletePolicy } from "@/lib/mesh/delete-policy";
import { injectFault } from "@/lib/mesh/inject-fault";
import { PolicyListInput } from "@/lib/mesh/policies";
import { rollbackPolicy } from "@/lib/mesh/rollback-policy";
import { OverviewInput } from "@/lib/overview/overview";
import { SignalsInput } from "@/lib/overview/queries";
import { changePassword } from "@/lib/profile/change-password";
import { updatePreferences } from "@/lib/profile/update-preferences";
import { deleteZnode } from "@/lib/registry/delete-znode";
import { disableEverywhere } from "@/lib/registry/disable-everywhere";
import { ServiceKeyInput, ServiceListInput } from "@/lib/registry/services";
import { updateInstance } from "@/lib/registry/update-instance";
import { writeZnode } from "@/lib/registry/write-znode";
import { MergedServiceInput, MergedServicesInput } from "@/lib/registry/zones";
import { SignInInput } from "@/lib/session/sign-in";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface CatalogEntry {
  method: HttpMethod;
  /** OpenAPI spelling: `/api/v1/environments/{name}` for app/api/v1/environments/[name]. */
  path: string;
  summary: string;
  /** The operation the route executes: its input (minus path parameters) is the body, or the query of a DELETE. */
  op?: Operation<z.ZodType, unknown>;
  /** A body schema the route parses itself (readJson, publicRoute). */
  body?: z.ZodType;
  /** The query schema the route parses (readQuery); keys that are path parameters are left out. */
  query?: z.ZodType;
  /** Answers without a session (sign-in). */
  public?: true;
}

const op = <S extends z.ZodType, O>(o: Operation<S, O>) => o as unknown as Operation<z.ZodType, unknown>;

export const CATALOG: CatalogEntry[] = [
{ method: "DELETE", path: "/api/v1/access/bindings/{id}", summary: "remove a role binding (admin)", op: op(deleteBinding) },
  { method: "GET", path: "/api/v1/access/bindings", summary: "list role bindings (access.read); create one (admin)" },
  { method: "POST", path: "/api/v1/access/bindings", summary: "list role bindings (access.read); create one (admin)", op: op(createBinding) },
  { method: "GET", path: "/api/v1/access/groups", summary: "LDAP groups whose name contains the text, with their DNs, for the binding form (access.admin)", query: LdapGroupQuery },
  { method: "GET", path: "/api/v1/access/users/{id}/effective", summary: "who can do what: a user's permissions and the bindings granting them" },
  { method: "POST", path: "/api/v1/access/users/{id}/password", summary: "set a new password on a local account (admin)", op: op(resetLocalPassword) },
  { method: "PATCH", path: "/api/v1/access/users/{id}", summary: "disable or re-enable an account (admin)", op: op(setUserDisabled) },
  { method: "DELETE", path: "/api/v1/access/users/{id}/tokens/{tokenId}", summary: "an admin revokes any user's API token (audited)", op: op(revokeToken) },
  { method: "GET", path: "/api/v1/access/users/{id}/tokens", summary: "a user's API tokens (never their secrets), for Settings → Access" },
  { method: "GET", path: "/api/v1/access/users", summary: "list accounts (access.read); create a local account (admin)" },
  { method: "POST", path: "/api/v1/access/users", summary: "list accounts (access.read); create a local account (admin)", op: op(createLocalUser) },
  { method: "GET", path: "/api/v1/audit/{id}", summary: "one audit event with its linked intent/outcome rows (404 outside scope)" },
  { method: "GET", path: "/api/v1/audit/activity", summary: "outcomes per day for the overview chart (scoped like /audit)", query: AuditActivityQuery },
  { method: "GET", path: "/api/v1/audit/export", summary: "stream the (filtered) audit log as CSV or JSON Lines; audited", query: AuditExportQuery },
  { method: "GET", path: "/api/v1/audit", summary: "audit events, filtered, newest first, cursor-paginated (all for auditors/admins, own for others)", query: AuditPageInput },
  { method: "GET", path: "/api/v1/audit/verify", summary: "walk the audit chain and checkpoints; names the first broken row" },
  { method: "POST", path: "/api/v1/auth/sign-in", summary: "sign in with a local or LDAP account; sets the session cookie", body: SignInInput, public: true },
  { method: "POST", path: "/api/v1/auth/sign-out", summary: "revoke the session server-side and clear the cookie", public: true },
  { method: "GET", path: "/api/v1/auth/sources", summary: "which account sources the sign-in page offers (ldap, local)", public: true },
  { method: "POST", path: "/api/v1/environments/{name}/configs/{group}/{dataId}/gray/abort", summary: "stop the beta: the gray instances read the formal content again (config.gray)", op: op(abortGray) },
  { method: "GET", path: "/api/v1/environments/{name}/configs/{group}/{dataId}/gray/preview", summary: "the IPs a gray rule resolves to now, shown before confirming", query: GrayPreviewQuery },
  { method: "POST", path: "/api/v1/environments/{name}/configs/{group}/{dataId}/gray/promote", summary: "CAS-guarded full publish of the gray content, stop the beta, read both md5s back", op: op(promoteGray) },
  { method: "GET", path: "/api/v1/environments/{name}/configs/{group}/{dataId}/gray", summary: "gray status: listeners and the md5 each holds, \"n of m on gray\"", query: ConfigKeyInput },
  { method: "POST", path: "/api/v1/environments/{name}/configs/{group}/{dataId}/gray", summary: "start a gray release of a draft to the IPs its rule resolves to (config.gray; tier=prod: operator)", op: op(startGray) },
  { method: "POST", path: "/api/v1/environments/{name}/configs/{group}/{dataId}/gray/widen", summary: "re-resolve a wider rule and publish the beta to the new IPs (config.gray, tier=prod: operator)", op: op(widenGray) },
  { method: "GET", path: "/api/v1/environments/{name}/configs/{group}/{dataId}/compare", summary: "the config's formal content here and in another environment or namespace, side by side (config.read on both)", query: CompareInput },
  { method: "GET", path: "/api/v1/environments/{name}/configs/{group}/{dataId}/history/{id}", summary: "one history record with its content (config.read)", query: HistoryRecordInput },
  { method: "GET", path: "/api/v1/environments/{name}/configs/{group}/{dataId}/history", summary: "the config's history, newest first: operator, source IP, time (config.read)", query: HistoryListInput },
  { method: "POST", path: "/api/v1/environments/{name}/configs/{group}/{dataId}/rollback", summary: "publish a history record's content as a new version, CAS-guarded by casMd5", op: op(rollbackConfig) },
  { method: "GET", path: "/api/v1/environments/{name}/configs/{group}/{dataId}", summary: "one config with its beta and gray", query: ConfigKeyInput },
  { method: "PUT", path: "/api/v1/environments/{name}/configs/{group}/{dataId}", summary: "publish new content, guarded by casMd5 (409 with base, theirs and mine)", op: op(updateConfig) },
  { method: "DELETE", path: "/api/v1/environments/{name}/configs/{group}/{dataId}", summary: "delete the config (config.publish)", op: op(deleteConfig) },
  { method: "GET", path: "/api/v1/environments/{name}/configs/namespaces", summary: "the Nacos namespaces whose configs the actor may read" },
  { method: "GET", path: "/api/v1/environments/{name}/configs", summary: "a page of configs", query: ConfigListInput },
  { method: "POST", path: "/api/v1/environments/{name}/configs", summary: "create a config; two creates of one key: one 201, one 409", op: op(createConfig) },
  { method: "GET", path: "/api/v1/environments/{name}/gateway/backends", summary: "a service in every zone of a site: the gateway host per zone and healthy / total instances from each" },
  { method: "GET", path: "/api/v1/environments/{name}/gateway/gateways", summary: "Gateway API and Istio Gateways of the environment's cluster", query: ListInput },
  { method: "GET", path: "/api/v1/environments/{name}/gateway/map", summary: "per gateway: hostnames → matches → backends with weights, drained zones and canary step" },
  { method: "GET", path: "/api/v1/environments/{name}/gateway/objects/{kind}/{namespace}/{objname}/revisions", summary: "the object's revisions" },
  { method: "POST", path: "/api/v1/environments/{name}/gateway/objects/{kind}/{namespace}/{objname}/revisions", summary: "roll back to a revision as a new guarded write", op: op(rollbackObject) },
  { method: "GET", path: "/api/v1/environments/{name}/gateway/objects/{kind}/{namespace}/{objname}", summary: "one Gateway, IstioGateway, HTTPRoute or McpBridge: read" },
  { method: "PUT", path: "/api/v1/environments/{name}/gateway/objects/{kind}/{namespace}/{objname}", summary: "create or replace, guarded by the resourceVersion seen", op: op(applyObject) },
  { method: "DELETE", path: "/api/v1/environments/{name}/gateway/objects/{kind}/{namespace}/{objname}", summary: "delete, only if still the version seen", op: op(deleteObject) },
  { method: "POST", path: "/api/v1/environments/{name}/gateway/objects/{kind}/{namespace}/{objname}", summary: "preview: schema, checks, dry run and diff, nothing written" },
  { method: "GET", path: "/api/v1/environments/{name}/gateway/registries", summary: "the Higress McpBridge registries", query: RegistriesInput },
  { method: "PUT", path: "/api/v1/environments/{name}/gateway/registries", summary: "the Higress McpBridge registries", op: op(updateRegistries) },
  { method: "POST", path: "/api/v1/environments/{name}/gateway/routes/{namespace}/{route}/traffic", summary: "one audited traffic step on an HTTPRoute, each its own revision: { action: \"drain\" | \"restore\", zone", op: op(drainZone) },
  { method: "GET", path: "/api/v1/environments/{name}/gateway/routes", summary: "HTTPRoutes, GRPCRoutes", query: RouteListInput },
  { method: "GET", path: "/api/v1/environments/{name}/mesh/{kind}/{namespace}/{object}/revisions/{revision}", summary: "one stored revision with its object (mesh.policy.read in scope)" },
  { method: "GET", path: "/api/v1/environments/{name}/mesh/{kind}/{namespace}/{object}/revisions", summary: "the object's revisions, newest first (mesh.policy.read in scope)" },
  { method: "POST", path: "/api/v1/environments/{name}/mesh/{kind}/{namespace}/{object}/rollback", summary: "put a stored revision back as a new guarded write", op: op(rollbackPolicy) },
  { method: "GET", path: "/api/v1/environments/{name}/mesh/{kind}/{namespace}/{object}", summary: "one Istio object" },
  { method: "PUT", path: "/api/v1/environments/{name}/mesh/{kind}/{namespace}/{object}", summary: "one Istio object", op: op(applyPolicy) },
  { method: "DELETE", path: "/api/v1/environments/{name}/mesh/{kind}/{namespace}/{object}", summary: "one Istio object", op: op(deletePolicy) },
  { method: "POST", path: "/api/v1/environments/{name}/mesh/apply", summary: "apply several Istio objects of one namespace in a fixed order", op: op(applyPolicies) },
  { method: "POST", path: "/api/v1/environments/{name}/mesh/fault", summary: "write a VirtualService carrying a fault", op: op(injectFault) },
  { method: "POST", path: "/api/v1/environments/{name}/mesh/preview", summary: "what applying one object would do: issues, diff against the live object, the API server's dry-run ve" },
  { method: "GET", path: "/api/v1/environments/{name}/mesh", summary: "the Istio objects of a Kubernetes namespace with a validation badge each", query: PolicyListInput },
  { method: "POST", path: "/api/v1/environments/{name}/mesh/validate", summary: "every mesh rule" },
  { method: "GET", path: "/api/v1/environments/{name}", summary: "read (404 outside scope), change or remove an environment (admin)" },
  { method: "PUT", path: "/api/v1/environments/{name}", summary: "read (404 outside scope), change or remove an environment (admin)", op: op(updateEnvironment) },
  { method: "DELETE", path: "/api/v1/environments/{name}", summary: "read (404 outside scope), change or remove an environment (admin)", op: op(deleteEnvironment), query: DeleteEnvironmentQuery },
  { method: "PATCH", path: "/api/v1/environments/{name}/services/{group}/{service}/instance", summary: "change an instance's weight, enabled flag or metadata (audited).", op: op(updateInstance) },
  { method: "GET", path: "/api/v1/environments/{name}/services/{group}/{service}", summary: "one service: instances of every cluster, subscribers", query: ServiceKeyInput },
  { method: "GET", path: "/api/v1/environments/{name}/services", summary: "a page of registry services with instance counts (service.read in scope)", query: ServiceListInput },
  { method: "GET", path: "/api/v1/environments/{name}/signals", summary: "golden signals (rate, 5xx ratio, p50/p99) from the environment's Prometheus (service.read in scope)", query: SignalsInput },
  { method: "POST", path: "/api/v1/environments/{name}/test", summary: "test each configured backend connection (admin); a verdict per system" },
  { method: "GET", path: "/api/v1/environments/{name}/znodes", summary: "browse a znode (operators and up), write or delete one (admins; version-checked, audited)" },
  { method: "PUT", path: "/api/v1/environments/{name}/znodes", summary: "browse a znode (operators and up), write or delete one (admins; version-checked, audited)", op: op(writeZnode) },
  { method: "DELETE", path: "/api/v1/environments/{name}/znodes", summary: "browse a znode (operators and up), write or delete one (admins; version-checked, audited)", op: op(deleteZnode) },
  { method: "GET", path: "/api/v1/environments", summary: "environments in the caller's scope; register one (admin)" },
  { method: "POST", path: "/api/v1/environments", summary: "environments in the caller's scope; register one (admin)", op: op(createEnvironment) },
  { method: "POST", path: "/api/v1/me/password", summary: "change the signed-in local account's password", op: op(changePassword) },
  { method: "PATCH", path: "/api/v1/me/preferences", summary: "set the signed-in user's language and theme", op: op(updatePreferences) },
  { method: "GET", path: "/api/v1/me", summary: "the signed-in user, roles, scopes and effective permissions" },
  { method: "DELETE", path: "/api/v1/me/tokens/{id}", summary: "revoke one of my API tokens (admins: anyone's)", op: op(revokeToken) },
  { method: "GET", path: "/api/v1/me/tokens", summary: "list my API tokens; create one (the secret is returned once)" },
  { method: "POST", path: "/api/v1/me/tokens", summary: "list my API tokens; create one (the secret is returned once)", op: op(createToken) },
  { method: "GET", path: "/api/v1/overview", summary: "registry counts per zone now and over time, changes and audit activity, failures, gray releases of o", query: OverviewInput },
  { method: "POST", path: "/api/v1/sites/{site}/disable", summary: "disable an IP of a service in every zone of the site (audited). The body must carry", op: op(disableEverywhere) },
  { method: "GET", path: "/api/v1/sites/{site}/services/{group}/{service}", summary: "one service in every zone of the site, its instances aligned by ip:port", query: MergedServiceInput },
  { method: "GET", path: "/api/v1/sites/{site}/services", summary: "a site's services merged across its zones", query: MergedServicesInput },
  { method: "GET", path: "/api/v1/sites", summary: "the sites (environments sharing a `site` label) the caller can see, with their zones" },
  { method: "GET", path: "/api/v1/openapi.json", summary: "this document: the OpenAPI 3.1 description of /api/v1" },
  { method: "POST", path: "/api/v1/environments/{name}/configs/export", summary: "the selected configs or the whole namespace as a zip in Nacos' layout, secret values redacted (config.read; audited)", op: op(exportConfigs) },
  { method: "POST", path: "/api/v1/environments/{name}/configs/import", summary: "import a Nacos-layout zip with policy abort|skip|overwrite, per-item results; ?preview=true: the plan with diffs", op: op(importConfigs) },
  { method: "POST", path: "/api/v1/environments/{name}/configs/clone", summary: "clone configs to another namespace or environment server side, per-item results; ?preview=true: the plan with diffs", op: op(cloneConfigs) },
  { method: "GET", path: "/api/v1/environments/{name}/configs/betas", summary: "which configs of a list page Nacos serves a beta (gray) of now, whoever started it (config.read)", query: ConfigBetasInput },
];
