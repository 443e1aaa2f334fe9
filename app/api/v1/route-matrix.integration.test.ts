/**
 * docs/security.md §1, §6, §13, §14: every /api/v1 route × every role, enumerated from the file
 * system, each with its exact expected status (EXPECTED). The suite fails when a route has no
 * policy entry here. Calls go to the real handlers with bearer tokens of real users on a real
 * PostgreSQL; the matrix environment has a real Nacos and a real Kubernetes API server, each
 * behind a counting proxy, so allowed reads really reach them and refused calls provably do
 * not: anonymous (with the headers that fooled other consoles: Nacos-Server user agent,
 * x-middleware-subrequest, XFF loopback), forbidden and out-of-scope calls cause 0 backend
 * requests.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/lib/database";
import { apiTokens, roleBindings, users } from "@/db/schema";
import { decide, ROLES, type Permission, type Role } from "@/lib/auth/rbac";
import { createEnvironment } from "@/lib/environments/create-environment";
import { actorWithRole, meta } from "@/lib/testing/actors";
import { startCountingProxy, type CountingProxy } from "@/lib/testing/counting-proxy";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { startFaultProxy, type FaultProxy } from "@/lib/testing/fault-proxy";
import { peerEnv } from "@/lib/testing/peers";

const ENV = "matrix-env";
const SITE = "matrix-site";
/** Registered nowhere in Nacos: instance changes answer 404 after reading the registry. */
const ABSENT_SERVICE = `mx-absent-${randomBytes(4).toString("hex")}`;

/** Ids created in beforeAll that route parameters and bodies refer to. */
const ids = {
  /** The intent row of the matrix environment's creation, by the fixture admin (nobody in the matrix). */
  auditEvent: "",
  /** A local account nobody signs in as: the /access/users/[id] routes act on it. */
  targetUser: "",
  /** An LDAP account: its password cannot be reset here (400 naming `id`). */
  ldapUser: "",
  /** Two live tokens of targetUser, never used: only an admin may revoke someone else's. */
  targetTokenA: "",
  targetTokenB: "",
  /** A binding id that does not exist. */
  missingBinding: randomUUID(),
  /** Gateway objects: a kind, a Kubernetes namespace and a route that does not exist there. */
  gwKind: "HTTPRoute",
  gwNamespace: "mx-gateway",
  gwName: `mx-absent-${randomBytes(4).toString("hex")}`,
  /** A service resource `…/services/{group}/{service}` registered nowhere. */
  group: "DEFAULT_GROUP",
  absentService: ABSENT_SERVICE,
  /** Mesh: an Istio object that does not exist, in a Kubernetes namespace of its own. */
  meshKind: "VirtualService",
  meshNamespace: "matrix-mesh",
  meshObject: "mx-absent",
  meshRevision: "1",
  /** Configs: a dataId that exists nowhere, and a history id that is not its. */
  configGroup: "DEFAULT_GROUP",
  configDataId: `mx-absent-cfg-${randomBytes(4).toString("hex")}`,
  configHistoryId: "1",
};
type IdRef = keyof typeof ids;

type Backend = "nacos" | "k8s";

/**
 * permission: what the route requires (checked against ROLE_PERMISSIONS below).
 * sessionOnly: refused to every bearer token, whatever the role (tokens cannot mint tokens).
 * params: route parameters other than [name] (the matrix environment) and [site] (its site).
 * query: `{nonce}` becomes a fresh value per call, so registry reads never come from the cache.
 * backends: every call EXPECTED lets through (not 403) reaches these; every other call — and
 * every call to a route without them — reaches neither.
 * field: a 400 must name this field.
 */
interface Policy {
  permission: Permission | "self" | "public";
  body?: unknown;
  query?: string;
  sessionOnly?: boolean;
  params?: Record<string, IdRef>;
  backends?: Backend[];
  field?: string;
}

/** Route parameters of one mesh object (ids.mesh*). */
const MESH_PARAMS: Record<string, IdRef> = { kind: "meshKind", namespace: "meshNamespace", object: "meshObject" };
const MESH_OBJECT = { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "mx-absent" }, spec: { hosts: ["mx"], http: [{ route: [{ destination: { host: "mx" } }] }] } };

/** Route parameters of one config (ids.config*), and a gray release id that does not exist. */
const MISSING_GRAY = randomUUID();
const CONFIG_PARAMS: Record<string, IdRef> = { group: "configGroup", dataId: "configDataId" };

/** The policy of every route: who may call it. A new route must be added here and to EXPECTED. */
const POLICY: Record<string, Policy> = {
  "GET /api/v1/me": { permission: "self" },
  "GET /api/v1/openapi.json": { permission: "self" },
  "PATCH /api/v1/me/preferences": { permission: "profile.write", body: { locale: "en" } },
  // The matrix users have no password: a change is refused naming the field, nothing changes.
  "POST /api/v1/me/password": { permission: "profile.write", body: { currentPassword: "not-it", newPassword: "a-new-password-123" }, field: "currentPassword" },
  "GET /api/v1/me/tokens": { permission: "self" },
  "POST /api/v1/me/tokens": { permission: "profile.write", body: { name: "matrix", expiresInDays: 1 }, sessionOnly: true },
  // Someone else's token: admins revoke anyone's, others get 404 (docs/security.md §14).
  "DELETE /api/v1/me/tokens/[id]": { permission: "profile.write", params: { id: "targetTokenA" } },
  "GET /api/v1/audit": { permission: "self" },
  "GET /api/v1/audit/activity": { permission: "self" },
  // The matrix environment's overview: counts, activity and gray releases from the database only.
  "GET /api/v1/overview": { permission: "environment.read", query: "environment=matrix-env&range=24h" },
  // Another actor's event: auditors and unscoped admins see it, everyone else only their own (§16).
  "GET /api/v1/audit/[id]": { permission: "self", params: { id: "auditEvent" } },
  "GET /api/v1/audit/export": { permission: "audit.export", query: "format=csv" },
  "GET /api/v1/audit/verify": { permission: "audit.verify" },
  "GET /api/v1/access/bindings": { permission: "access.read" },
  // A user subject that does not exist: refused naming the field instead of granting anything.
  "POST /api/v1/access/bindings": { permission: "access.admin", body: { subjectKind: "user", subject: randomUUID(), role: "viewer" }, field: "subject" },
  "DELETE /api/v1/access/bindings/[id]": { permission: "access.admin", params: { id: "missingBinding" } },
  "GET /api/v1/access/users": { permission: "access.read" },
  // LDAP groups by name for the binding form (no LDAP in the matrix process: an empty answer).
  "GET /api/v1/access/groups": { permission: "access.admin", query: "search=ops" },
  // An existing username: 409, no account created.
  "POST /api/v1/access/users": { permission: "access.admin", body: { username: "m-target", displayName: "M", password: "a-long-password-1" } },
  // Enabling an enabled account: a no-op change.
  "PATCH /api/v1/access/users/[id]": { permission: "access.admin", body: { disabled: false }, params: { id: "targetUser" } },
  "POST /api/v1/access/users/[id]/password": { permission: "access.admin", body: { password: "a-long-password-2" }, params: { id: "ldapUser" }, field: "id" },
  "GET /api/v1/access/users/[id]/effective": { permission: "access.read", params: { id: "targetUser" } },
  "GET /api/v1/access/users/[id]/tokens": { permission: "access.read", params: { id: "targetUser" } },
  "DELETE /api/v1/access/users/[id]/tokens/[tokenId]": { permission: "access.admin", params: { id: "targetUser", tokenId: "targetTokenB" } },
  "GET /api/v1/environments": { permission: "environment.read" },
  // The matrix environment's own name: 409, nothing created.
  "POST /api/v1/environments": { permission: "environment.admin", body: { name: ENV, labels: { tier: "dev" } } },
  "GET /api/v1/environments/[name]": { permission: "environment.read" },
  // A stale version: 409, and the registry and cluster stay registered for the rest of the matrix.
  "PUT /api/v1/environments/[name]": { permission: "environment.admin", body: { labels: { tier: "dev" }, expectedVersion: 99 } },
  "DELETE /api/v1/environments/[name]": { permission: "environment.admin", query: "expectedVersion=99" },
  "POST /api/v1/environments/[name]/test": { permission: "environment.admin", backends: ["nacos", "k8s"] },
  "GET /api/v1/environments/[name]/services": { permission: "service.read", query: "search={nonce}", backends: ["nacos"] },
  // The matrix environment has no Prometheus URL: "not configured", no backend reached.
  "GET /api/v1/environments/[name]/signals": { permission: "service.read", query: "range=1h" },
  // The registry is read first; the instance is not there → 404, nothing written. `expected`:
  // the weight the caller saw (issue #12).
  // One service's resource (namespace in the query): read from Nacos, registered nowhere.
  "GET /api/v1/environments/[name]/services/[group]/[service]": { permission: "service.read", query: "namespace=", params: { group: "group", service: "absentService" }, backends: ["nacos"] },
  "PATCH /api/v1/environments/[name]/services/[group]/[service]/instance": { permission: "service.instance.write", body: { ip: "10.0.0.1", port: 8080, weight: 2, expected: { weight: 1 } }, params: { group: "group", service: "absentService" }, backends: ["nacos"] },
  // Raw znodes: read for operators and up, changes for admins; the matrix environment is Nacos → 400 naming it.
  "GET /api/v1/environments/[name]/znodes": { permission: "registry.znode.read", query: "path=/", field: "environment" },
  "PUT /api/v1/environments/[name]/znodes": { permission: "registry.znode.write", body: { path: "/x", data: "a", expectedVersion: 0 }, field: "environment" },
  "DELETE /api/v1/environments/[name]/znodes": { permission: "registry.znode.write", query: "path=/x&expectedVersion=0", field: "environment" },
  "GET /api/v1/sites": { permission: "service.read" },
  "GET /api/v1/sites/[site]/services": { permission: "service.read", query: "search={nonce}", backends: ["nacos"] },
  "GET /api/v1/sites/[site]/services/[group]/[service]": { permission: "service.read", params: { group: "group", service: "absentService" }, backends: ["nacos"] },
  // Every zone is read first; the IP is registered nowhere → 404, nothing written. `expected`:
  // the instances the caller saw per zone (none).
  "POST /api/v1/sites/[site]/disable": { permission: "service.instance.write", body: { serviceName: ABSENT_SERVICE, ip: "10.0.0.1", expected: [] }, backends: ["nacos"] },
  // Gateway reads list the cluster (a fresh connection per request); writes are refused naming a field before anything is reached.
  "GET /api/v1/environments/[name]/gateway/gateways": { permission: "gateway.route.read", backends: ["k8s"] },
  "GET /api/v1/environments/[name]/gateway/routes": { permission: "gateway.route.read", backends: ["k8s"] },
  "GET /api/v1/environments/[name]/gateway/map": { permission: "gateway.route.read", backends: ["k8s"] },
  "GET /api/v1/environments/[name]/gateway/registries": { permission: "gateway.route.read", backends: ["k8s"] },
  "PUT /api/v1/environments/[name]/gateway/registries": { permission: "gateway.route.write", body: { resourceVersion: null }, field: "add" },
  "GET /api/v1/environments/[name]/gateway/backends": { permission: "gateway.route.read", query: `site=${SITE}&service={nonce}`, backends: ["nacos"] },
  "GET /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]": { permission: "gateway.route.read", params: { kind: "gwKind", namespace: "gwNamespace", objname: "gwName" }, backends: ["k8s"] },
  "PUT /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]": { permission: "gateway.route.write", body: { resourceVersion: null }, params: { kind: "gwKind", namespace: "gwNamespace", objname: "gwName" }, field: "object" },
  "DELETE /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]": { permission: "gateway.route.write", body: {}, params: { kind: "gwKind", namespace: "gwNamespace", objname: "gwName" }, field: "resourceVersion" },
  "POST /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]": { permission: "gateway.route.read", body: { resourceVersion: null }, params: { kind: "gwKind", namespace: "gwNamespace", objname: "gwName" }, field: "object" },
  "GET /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]/revisions": { permission: "gateway.route.read", params: { kind: "gwKind", namespace: "gwNamespace", objname: "gwName" } },
  "POST /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]/revisions": { permission: "gateway.route.write", body: {}, params: { kind: "gwKind", namespace: "gwNamespace", objname: "gwName" }, field: "revision" },
  "POST /api/v1/environments/[name]/gateway/routes/[namespace]/[route]/traffic": { permission: "gateway.route.write", body: { action: "drain", resourceVersion: "1" }, params: { namespace: "gwNamespace", route: "gwName" }, field: "zone" },
  // Mesh (issue #14): reads reach the cluster; writes name a version of an object that does not
  // exist (409, nothing written) or a revision that does not exist (404).
  "GET /api/v1/environments/[name]/mesh": { permission: "mesh.policy.read", query: "namespace=matrix-mesh", backends: ["k8s"] },
  "POST /api/v1/environments/[name]/mesh/validate": { permission: "mesh.policy.read", body: { namespace: "matrix-mesh", objects: [MESH_OBJECT] }, backends: ["k8s"] },
  "POST /api/v1/environments/[name]/mesh/preview": { permission: "mesh.policy.read", body: { kind: "VirtualService", namespace: "matrix-mesh", name: "mx-absent", object: MESH_OBJECT, resourceVersion: null }, backends: ["k8s"] },
  "POST /api/v1/environments/[name]/mesh/fault": { permission: "mesh.policy.write", body: { namespace: "matrix-mesh", name: "mx-absent", object: MESH_OBJECT, resourceVersion: "1", deadlineSeconds: null }, backends: ["k8s"] },
  "POST /api/v1/environments/[name]/mesh/apply": { permission: "mesh.policy.write", body: { namespace: "matrix-mesh", objects: [{ kind: "VirtualService", name: "mx-absent", object: MESH_OBJECT, resourceVersion: "1" }] }, backends: ["k8s"] },
  "GET /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]": { permission: "mesh.policy.read", params: MESH_PARAMS, backends: ["k8s"] },
  "PUT /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]": { permission: "mesh.policy.write", params: MESH_PARAMS, body: { object: MESH_OBJECT, resourceVersion: "1" }, backends: ["k8s"] },
  "DELETE /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]": { permission: "mesh.policy.write", params: MESH_PARAMS, query: "resourceVersion=1", backends: ["k8s"] },
  "GET /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]/revisions": { permission: "mesh.policy.read", params: MESH_PARAMS },
  "GET /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]/revisions/[revision]": { permission: "mesh.policy.read", params: { ...MESH_PARAMS, revision: "meshRevision" } },
  "POST /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]/rollback": { permission: "mesh.policy.write", params: MESH_PARAMS, body: { revision: 1, resourceVersion: null } },
  // Configs (issue #13): reads reach Nacos; writes of a config that exists nowhere answer 404 or
  // 409 after reading it (nothing written); a create with malformed JSON is refused naming content.
  "GET /api/v1/environments/[name]/configs": { permission: "config.read", query: "dataId={nonce}", backends: ["nacos"] },
  "POST /api/v1/environments/[name]/configs": { permission: "config.publish", body: { group: "DEFAULT_GROUP", dataId: "mx-never", type: "json", content: "{" }, field: "content" },
  "GET /api/v1/environments/[name]/configs/namespaces": { permission: "config.read", backends: ["nacos"] },
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]": { permission: "config.read", query: "namespace=", params: CONFIG_PARAMS, backends: ["nacos"] },
  "PUT /api/v1/environments/[name]/configs/[group]/[dataId]": { permission: "config.publish", query: "namespace=", params: CONFIG_PARAMS, body: { type: "text", content: "x", casMd5: "0".repeat(32) }, backends: ["nacos"] },
  "DELETE /api/v1/environments/[name]/configs/[group]/[dataId]": { permission: "config.publish", query: `namespace=&casMd5=${"0".repeat(32)}`, params: CONFIG_PARAMS, backends: ["nacos"] },
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]/history": { permission: "config.read", query: "namespace=", params: CONFIG_PARAMS, backends: ["nacos"] },
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]/history/[id]": { permission: "config.read", query: "namespace=", params: { ...CONFIG_PARAMS, id: "configHistoryId" }, backends: ["nacos"] },
  "POST /api/v1/environments/[name]/configs/[group]/[dataId]/rollback": { permission: "config.publish", params: CONFIG_PARAMS, body: { historyId: "1", casMd5: "0".repeat(32) }, backends: ["nacos"] },
  // Gray releases of that config: the status reads Nacos; an IP rule resolves without it; a start
  // finds no formal config (404); widen, promote and abort find no active gray release (409).
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]/gray": { permission: "config.read", query: "namespace=", params: CONFIG_PARAMS, backends: ["nacos"] },
  "POST /api/v1/environments/[name]/configs/[group]/[dataId]/gray": { permission: "config.gray", params: CONFIG_PARAMS, body: { type: "text", content: "x", rule: { kind: "ips", ips: ["10.0.0.1"] } }, backends: ["nacos"] },
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]/gray/preview": { permission: "config.read", query: "namespace=&kind=ips&ips=10.0.0.1", params: CONFIG_PARAMS },
  // The same config in the same environment's other namespace: both sides read from Nacos (absent: null contents).
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]/compare": { permission: "config.read", query: "namespace=&otherNamespace=mx-other", params: CONFIG_PARAMS, backends: ["nacos"] },
  "POST /api/v1/environments/[name]/configs/[group]/[dataId]/gray/widen": { permission: "config.gray", params: CONFIG_PARAMS, body: { grayId: MISSING_GRAY, rule: { kind: "ips", ips: ["10.0.0.1"] } } },
  "POST /api/v1/environments/[name]/configs/[group]/[dataId]/gray/promote": { permission: "config.publish", params: CONFIG_PARAMS, body: { grayId: MISSING_GRAY, casMd5: "0".repeat(32) } },
  "POST /api/v1/environments/[name]/configs/[group]/[dataId]/gray/abort": { permission: "config.gray", params: CONFIG_PARAMS, body: { grayId: MISSING_GRAY } },
  // Export reads the named configs (none exists: an empty zip); an import of bytes that are not a
  // zip is refused naming `zip` before Nacos is asked; a clone of a source that does not exist
  // under policy abort is refused (422) after reading it, nothing written.
  "GET /api/v1/environments/[name]/configs/betas": { permission: "config.read", query: "namespace=&keys=DEFAULT_GROUP/mx-never", backends: ["nacos"] },
  "POST /api/v1/environments/[name]/configs/export": { permission: "config.read", body: { items: [{ group: "DEFAULT_GROUP", dataId: "mx-never" }] }, backends: ["nacos"] },
  "POST /api/v1/environments/[name]/configs/import": { permission: "config.publish", body: { policy: "abort", zip: "AAAA" }, field: "zip" },
  "POST /api/v1/environments/[name]/configs/clone": { permission: "config.publish", body: { items: [{ group: "DEFAULT_GROUP", dataId: "mx-never" }], targetEnvironment: ENV, targetNamespace: "mx-other", policy: "abort" }, backends: ["nacos"] },
  "POST /api/v1/auth/sign-in": { permission: "public" },
  "POST /api/v1/auth/sign-out": { permission: "public" },
  "GET /api/v1/auth/sources": { permission: "public" },
};

type Row = Record<Role, number>;

/** The exact answer of every non-public route to each role bound everywhere ("*"), by bearer token. */
const EXPECTED: Record<string, Row> = {
  "GET /api/v1/me": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "GET /api/v1/openapi.json": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "PATCH /api/v1/me/preferences": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "POST /api/v1/me/password": { admin: 400, operator: 400, developer: 400, auditor: 400, viewer: 400 },
  "GET /api/v1/me/tokens": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "POST /api/v1/me/tokens": { admin: 403, operator: 403, developer: 403, auditor: 403, viewer: 403 },
  "DELETE /api/v1/me/tokens/[id]": { admin: 200, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/audit": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "GET /api/v1/audit/activity": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "GET /api/v1/overview": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "GET /api/v1/audit/[id]": { admin: 200, operator: 404, developer: 404, auditor: 200, viewer: 404 },
  "GET /api/v1/audit/export": { admin: 200, operator: 403, developer: 403, auditor: 200, viewer: 403 },
  "GET /api/v1/audit/verify": { admin: 200, operator: 403, developer: 403, auditor: 200, viewer: 403 },
  "GET /api/v1/access/bindings": { admin: 200, operator: 403, developer: 403, auditor: 200, viewer: 403 },
  "POST /api/v1/access/bindings": { admin: 400, operator: 403, developer: 403, auditor: 403, viewer: 403 },
  "DELETE /api/v1/access/bindings/[id]": { admin: 404, operator: 403, developer: 403, auditor: 403, viewer: 403 },
  "GET /api/v1/access/users": { admin: 200, operator: 403, developer: 403, auditor: 200, viewer: 403 },
  "GET /api/v1/access/groups": { admin: 200, operator: 403, developer: 403, auditor: 403, viewer: 403 },
  "POST /api/v1/access/users": { admin: 409, operator: 403, developer: 403, auditor: 403, viewer: 403 },
  "PATCH /api/v1/access/users/[id]": { admin: 200, operator: 403, developer: 403, auditor: 403, viewer: 403 },
  "POST /api/v1/access/users/[id]/password": { admin: 400, operator: 403, developer: 403, auditor: 403, viewer: 403 },
  "GET /api/v1/access/users/[id]/effective": { admin: 200, operator: 403, developer: 403, auditor: 200, viewer: 403 },
  "GET /api/v1/access/users/[id]/tokens": { admin: 200, operator: 403, developer: 403, auditor: 200, viewer: 403 },
  "DELETE /api/v1/access/users/[id]/tokens/[tokenId]": { admin: 200, operator: 403, developer: 403, auditor: 403, viewer: 403 },
  "GET /api/v1/environments": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "POST /api/v1/environments": { admin: 409, operator: 403, developer: 403, auditor: 403, viewer: 403 },
  "GET /api/v1/environments/[name]": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "PUT /api/v1/environments/[name]": { admin: 409, operator: 403, developer: 403, auditor: 403, viewer: 403 },
  "DELETE /api/v1/environments/[name]": { admin: 409, operator: 403, developer: 403, auditor: 403, viewer: 403 },
  "POST /api/v1/environments/[name]/test": { admin: 200, operator: 403, developer: 403, auditor: 403, viewer: 403 },
  "GET /api/v1/environments/[name]/services": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "GET /api/v1/environments/[name]/signals": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "GET /api/v1/environments/[name]/services/[group]/[service]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "PATCH /api/v1/environments/[name]/services/[group]/[service]/instance": { admin: 404, operator: 404, developer: 404, auditor: 403, viewer: 403 },
  "GET /api/v1/environments/[name]/znodes": { admin: 400, operator: 400, developer: 403, auditor: 403, viewer: 403 },
  "PUT /api/v1/environments/[name]/znodes": { admin: 400, operator: 403, developer: 403, auditor: 403, viewer: 403 },
  "DELETE /api/v1/environments/[name]/znodes": { admin: 400, operator: 403, developer: 403, auditor: 403, viewer: 403 },
  "GET /api/v1/sites": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "GET /api/v1/sites/[site]/services": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "GET /api/v1/sites/[site]/services/[group]/[service]": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "POST /api/v1/sites/[site]/disable": { admin: 404, operator: 404, developer: 404, auditor: 403, viewer: 403 },
  "GET /api/v1/environments/[name]/gateway/gateways": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "GET /api/v1/environments/[name]/gateway/routes": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "GET /api/v1/environments/[name]/gateway/map": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "GET /api/v1/environments/[name]/gateway/registries": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "PUT /api/v1/environments/[name]/gateway/registries": { admin: 400, operator: 400, developer: 403, auditor: 403, viewer: 403 },
  "GET /api/v1/environments/[name]/gateway/backends": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "GET /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "PUT /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]": { admin: 400, operator: 400, developer: 403, auditor: 403, viewer: 403 },
  "DELETE /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]": { admin: 400, operator: 400, developer: 403, auditor: 403, viewer: 403 },
  "POST /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]": { admin: 400, operator: 400, developer: 400, auditor: 400, viewer: 400 },
  "GET /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]/revisions": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "POST /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]/revisions": { admin: 400, operator: 400, developer: 403, auditor: 403, viewer: 403 },
  "POST /api/v1/environments/[name]/gateway/routes/[namespace]/[route]/traffic": { admin: 400, operator: 400, developer: 403, auditor: 403, viewer: 403 },
  "GET /api/v1/environments/[name]/mesh": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "POST /api/v1/environments/[name]/mesh/validate": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "POST /api/v1/environments/[name]/mesh/preview": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "POST /api/v1/environments/[name]/mesh/fault": { admin: 409, operator: 409, developer: 409, auditor: 403, viewer: 403 },
  "POST /api/v1/environments/[name]/mesh/apply": { admin: 409, operator: 409, developer: 409, auditor: 403, viewer: 403 },
  "GET /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "PUT /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]": { admin: 409, operator: 409, developer: 409, auditor: 403, viewer: 403 },
  "DELETE /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]": { admin: 404, operator: 404, developer: 404, auditor: 403, viewer: 403 },
  "GET /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]/revisions": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "GET /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]/revisions/[revision]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]/rollback": { admin: 404, operator: 404, developer: 404, auditor: 403, viewer: 403 },
  "GET /api/v1/environments/[name]/configs": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "POST /api/v1/environments/[name]/configs": { admin: 400, operator: 400, developer: 400, auditor: 403, viewer: 403 },
  "GET /api/v1/environments/[name]/configs/namespaces": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "PUT /api/v1/environments/[name]/configs/[group]/[dataId]": { admin: 409, operator: 409, developer: 409, auditor: 403, viewer: 403 },
  "DELETE /api/v1/environments/[name]/configs/[group]/[dataId]": { admin: 404, operator: 404, developer: 404, auditor: 403, viewer: 403 },
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]/history": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]/history/[id]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/environments/[name]/configs/[group]/[dataId]/rollback": { admin: 404, operator: 404, developer: 404, auditor: 403, viewer: 403 },
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]/gray": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "POST /api/v1/environments/[name]/configs/[group]/[dataId]/gray": { admin: 404, operator: 404, developer: 404, auditor: 403, viewer: 403 },
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]/gray/preview": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]/compare": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "POST /api/v1/environments/[name]/configs/[group]/[dataId]/gray/widen": { admin: 409, operator: 409, developer: 409, auditor: 403, viewer: 403 },
  "POST /api/v1/environments/[name]/configs/[group]/[dataId]/gray/promote": { admin: 409, operator: 409, developer: 409, auditor: 403, viewer: 403 },
  "POST /api/v1/environments/[name]/configs/[group]/[dataId]/gray/abort": { admin: 409, operator: 409, developer: 409, auditor: 403, viewer: 403 },
  "POST /api/v1/environments/[name]/configs/export": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "GET /api/v1/environments/[name]/configs/betas": { admin: 200, operator: 200, developer: 200, auditor: 200, viewer: 200 },
  "POST /api/v1/environments/[name]/configs/import": { admin: 400, operator: 400, developer: 400, auditor: 403, viewer: 403 },
  "POST /api/v1/environments/[name]/configs/clone": { admin: 422, operator: 422, developer: 422, auditor: 403, viewer: 403 },
};

/**
 * The same routes of the matrix environment (and its site) called by each role bound only to
 * `tier=prod`: the environment does not exist for them (docs/security.md §14). A 403 stays
 * where the caller lacks the permission on every environment — a global permission
 * (environment.admin needs an unscoped binding, §13) or a route-level one the role never
 * holds — so the answer cannot depend on the target; the "same answer as a name that does not
 * exist" test below proves that no answer here reveals the environment.
 */
const OUT_OF_SCOPE: Record<string, Row> = {
  "GET /api/v1/environments/[name]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "PUT /api/v1/environments/[name]": { admin: 403, operator: 403, developer: 403, auditor: 403, viewer: 403 },
  "DELETE /api/v1/environments/[name]": { admin: 403, operator: 403, developer: 403, auditor: 403, viewer: 403 },
  "POST /api/v1/environments/[name]/test": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/services": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/signals": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/services/[group]/[service]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "PATCH /api/v1/environments/[name]/services/[group]/[service]/instance": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/znodes": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "PUT /api/v1/environments/[name]/znodes": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "DELETE /api/v1/environments/[name]/znodes": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/sites/[site]/services": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/sites/[site]/services/[group]/[service]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/sites/[site]/disable": { admin: 404, operator: 404, developer: 404, auditor: 403, viewer: 403 },
  "GET /api/v1/environments/[name]/gateway/gateways": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/gateway/routes": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/gateway/map": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/gateway/registries": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "PUT /api/v1/environments/[name]/gateway/registries": { admin: 400, operator: 400, developer: 403, auditor: 403, viewer: 403 },
  "GET /api/v1/environments/[name]/gateway/backends": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "PUT /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]": { admin: 400, operator: 400, developer: 403, auditor: 403, viewer: 403 },
  "DELETE /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]": { admin: 400, operator: 400, developer: 403, auditor: 403, viewer: 403 },
  "POST /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]": { admin: 400, operator: 400, developer: 400, auditor: 400, viewer: 400 },
  "GET /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]/revisions": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/environments/[name]/gateway/objects/[kind]/[namespace]/[objname]/revisions": { admin: 400, operator: 400, developer: 403, auditor: 403, viewer: 403 },
  "POST /api/v1/environments/[name]/gateway/routes/[namespace]/[route]/traffic": { admin: 400, operator: 400, developer: 403, auditor: 403, viewer: 403 },
  "GET /api/v1/environments/[name]/mesh": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/environments/[name]/mesh/validate": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/environments/[name]/mesh/preview": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/environments/[name]/mesh/apply": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/environments/[name]/mesh/fault": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "PUT /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "DELETE /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]/revisions": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]/revisions/[revision]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/environments/[name]/mesh/[kind]/[namespace]/[object]/rollback": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/configs": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/environments/[name]/configs": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/configs/namespaces": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "PUT /api/v1/environments/[name]/configs/[group]/[dataId]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "DELETE /api/v1/environments/[name]/configs/[group]/[dataId]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]/history": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]/history/[id]": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/environments/[name]/configs/[group]/[dataId]/rollback": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]/gray": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/environments/[name]/configs/[group]/[dataId]/gray": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]/gray/preview": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/configs/[group]/[dataId]/compare": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/environments/[name]/configs/[group]/[dataId]/gray/widen": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/environments/[name]/configs/[group]/[dataId]/gray/promote": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/environments/[name]/configs/[group]/[dataId]/gray/abort": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/environments/[name]/configs/export": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "GET /api/v1/environments/[name]/configs/betas": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/environments/[name]/configs/import": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
  "POST /api/v1/environments/[name]/configs/clone": { admin: 404, operator: 404, developer: 404, auditor: 404, viewer: 404 },
};

const CODE_OF: Record<number, string> = { 400: "VALIDATION", 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND", 409: "CONFLICT", 422: "UNPROCESSABLE" };

const ROOT = path.resolve(__dirname, "../../..");
function routeFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) routeFiles(p, out);
    else if (e.name === "route.ts") out.push(p);
  }
  return out;
}
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Entry = { key: string; file: string; method: (typeof METHODS)[number]; urlPath: string };
const discovered: Entry[] = [];
for (const file of routeFiles(path.join(ROOT, "app", "api", "v1"))) {
  const src = fs.readFileSync(file, "utf8");
  const urlPath = "/" + path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep).join("/");
  for (const m of METHODS) if (new RegExp(`export\\s+const\\s+${m}\\b`).test(src)) discovered.push({ key: `${m} ${urlPath}`, file, method: m, urlPath });
}

let pg: PostgresFixture;
/** POSTs that change nothing (a connection test), so their refusal is not an audited change. */
const NOT_A_CHANGE = new Set(["POST /api/v1/environments/[name]/test"]);
/** Nacos: request counter → fault proxy ("pass") → the stack's Nacos. */
let nacosFault: FaultProxy;
let nacos: CountingProxy;
/** Kubernetes: the fault proxy counts connections; each environment client opens its own and closes them. */
let k8s: FaultProxy;
const tokens = new Map<Role, string>();
const prodTokens = new Map<Role, string>();

async function tokenFor(userId: string, role: Role | null, selector: string): Promise<{ id: string; token: string }> {
  if (role) await pg.handle.db.insert(roleBindings).values({ id: randomUUID(), subjectKind: "user", subject: userId, role, environmentSelector: selector, createdBy: "test" });
  const id = randomBytes(9).toString("base64url");
  const secret = randomBytes(32).toString("base64url");
  await pg.handle.db.insert(apiTokens).values({ id, userId, name: "matrix", secretHash: createHash("sha256").update(secret).digest("hex"), expiresAt: new Date(Date.now() + 3_600_000) });
  return { id, token: `sy_${id}_${secret}` };
}

beforeAll(async () => {
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  pg = await freshPostgres("matrix");
  setProcessDatabase(pg.handle);
  const nacosUrl = new URL(peerEnv("nacos", "NACOS_URL"));
  nacosFault = await startFaultProxy({ host: nacosUrl.hostname, port: Number(nacosUrl.port) }, "pass");
  nacos = await startCountingProxy({ host: "127.0.0.1", port: nacosFault.port });
  const k8sUrl = new URL(peerEnv("k8s", "K8S_URL"));
  k8s = await startFaultProxy({ host: k8sUrl.hostname, port: Number(k8sUrl.port) }, "pass");

  // Visible to every role bound "*", so that the permission — not scope — decides; a site of one zone.
  const created = meta();
  await createEnvironment.execute(
    actorWithRole("admin"),
    {
      name: ENV,
      labels: { tier: "dev", site: SITE, zone: "a" },
      registry: { kind: "nacos", url: nacos.url(nacosUrl.pathname), username: peerEnv("nacos", "NACOS_USERNAME"), password: peerEnv("nacos", "NACOS_PASSWORD"), namespaces: [""] },
      kubernetes: {
        apiUrl: k8s.url("https"),
        caPem: fs.readFileSync(peerEnv("k8s", "K8S_CA"), "utf8"),
        auth: "client-certificate",
        clientCertPem: fs.readFileSync(peerEnv("k8s", "K8S_CERT"), "utf8"),
        clientKeyPem: fs.readFileSync(peerEnv("k8s", "K8S_KEY"), "utf8"),
      },
    },
    created,
  );
  const intent = await pg.asAdmin((c) => c.query<{ id: string }>("SELECT id FROM audit_events WHERE request_id = $1 AND phase = 'intent'", [created.requestId]));
  ids.auditEvent = String(intent.rows[0]!.id);

  ids.targetUser = randomUUID();
  await pg.handle.db.insert(users).values({ id: ids.targetUser, username: "m-target", displayName: "target", source: "local" });
  ids.ldapUser = randomUUID();
  await pg.handle.db.insert(users).values({ id: ids.ldapUser, username: "m-ldap", displayName: "ldap", source: "ldap", externalId: randomUUID() });
  ids.targetTokenA = (await tokenFor(ids.targetUser, null, "*")).id;
  ids.targetTokenB = (await tokenFor(ids.targetUser, null, "*")).id;
  for (const role of ROLES) {
    const userId = randomUUID();
    await pg.handle.db.insert(users).values({ id: userId, username: `m-${role}`, displayName: role, source: "local" });
    tokens.set(role, (await tokenFor(userId, role, "*")).token);
    const prodId = randomUUID();
    await pg.handle.db.insert(users).values({ id: prodId, username: `m-prod-${role}`, displayName: `prod ${role}`, source: "local" });
    prodTokens.set(role, (await tokenFor(prodId, role, "tier=prod")).token);
  }
});
afterAll(async () => {
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
  await nacos?.close();
  await nacosFault?.close();
  await k8s?.close();
  await pg?.drop();
});

async function call(entry: Entry, headers: Record<string, string>, names: { env: string; site: string } = { env: ENV, site: SITE }): Promise<Response> {
  const policy = POLICY[entry.key]!;
  const params: Record<string, string> = {};
  const url = entry.urlPath.replace(/\[(\w+)\]/g, (_m, name: string) => {
    const ref = policy.params?.[name];
    params[name] = ref ? ids[ref] : name === "name" ? names.env : name === "site" ? names.site : "";
    if (!params[name]) throw new Error(`${entry.key}: no value for [${name}]`);
    return params[name];
  });
  const query = policy.query?.replace("{nonce}", `mx-${randomBytes(6).toString("hex")}`);
  const mod = (await import(entry.file)) as Record<string, (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>>;
  const req = new NextRequest(`http://console.test${url}${query ? `?${query}` : ""}`, {
    method: entry.method,
    headers: { host: "console.test", ...(policy.body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: policy.body !== undefined ? JSON.stringify(policy.body) : undefined,
  });
  return mod[entry.method]!(req, { params: Promise.resolve(params) });
}

interface Counts {
  nacosRequests: number;
  nacosConnections: number;
  k8sConnections: number;
}
function counts(): Counts {
  return { nacosRequests: nacos.requests, nacosConnections: nacosFault.forwarded, k8sConnections: k8s.forwarded };
}
/** What reached the backends since `mark`, with the Nacos requests by name for the failure message. */
function reached(mark: Counts) {
  const now = counts();
  return {
    nacos: now.nacosRequests - mark.nacosRequests,
    nacosConnections: now.nacosConnections - mark.nacosConnections,
    k8s: now.k8sConnections - mark.k8sConnections,
    nacosSeen: nacos.since(mark.nacosRequests),
  };
}
function expectNothingReached(mark: Counts, what: string): void {
  const r = reached(mark);
  expect({ nacos: r.nacos, nacosConnections: r.nacosConnections, k8s: r.k8s }, `${what} reached a backend: ${JSON.stringify(r.nacosSeen)}`).toEqual({ nacos: 0, nacosConnections: 0, k8s: 0 });
}

interface Answer {
  status: number;
  contentType: string;
  body: Record<string, unknown> | null;
  text: string;
}
async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: Record<string, unknown> | null = null;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = null;
  }
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", body, text };
}

/** A refusal or error is problem+json whose code matches its status; a 400 names the policy's field. */
function expectProblemShape(a: Answer, policy: Policy): void {
  if (a.status < 400) return;
  expect(a.contentType, a.text).toContain("application/problem+json");
  expect(a.body?.code, a.text).toBe(CODE_OF[a.status]);
  if (a.status === 400 && policy.field) {
    expect((a.body?.errors as Array<{ field: string }> | undefined)?.map((e) => e.field), a.text).toContain(policy.field);
  }
}

const scoped = (key: string) => /\[(name|site)\]/.test(key);

describe("route × role matrix", () => {
  it("every route found on disk has a policy entry, and every entry a route", () => {
    const keys = discovered.map((d) => d.key).sort();
    expect(keys.filter((k) => !(k in POLICY)), "routes without a policy entry").toEqual([]);
    expect(Object.keys(POLICY).filter((k) => !keys.includes(k)), "policy entries without a route").toEqual([]);
  });

  it("every non-public route has an EXPECTED row, and every environment or site route an OUT_OF_SCOPE row", () => {
    const guarded = discovered.filter((d) => POLICY[d.key]?.permission !== "public").map((d) => d.key).sort();
    expect(Object.keys(EXPECTED).sort()).toEqual(guarded);
    expect(Object.keys(OUT_OF_SCOPE).sort()).toEqual(guarded.filter(scoped));
  });

  it("EXPECTED refuses (403) exactly the roles ROLE_PERMISSIONS does not grant the route's permission", () => {
    const mismatches: string[] = [];
    for (const [key, row] of Object.entries(EXPECTED)) {
      const policy = POLICY[key]!;
      for (const role of ROLES) {
        const granted = !policy.sessionOnly && (policy.permission === "self" || decide([{ role, environmentSelector: "*", namespacePattern: "*", via: "user", bindingId: "x" }], policy.permission as Permission));
        if (granted === (row[role] === 403)) mismatches.push(`${key} ${role}: ${row[role]} but ${granted ? "granted" : "not granted"} ${policy.permission}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  for (const entry of discovered) {
    const policy = POLICY[entry.key];
    if (!policy || policy.permission === "public") continue;

    it(`${entry.key}: anonymous → 401, even with spoofed headers; no backend request (SECURITY 1, 6)`, async () => {
      const spoofs: Array<Record<string, string>> = [{}, { "user-agent": "Nacos-Server" }, { "x-middleware-subrequest": "middleware:middleware:middleware" }, { "x-forwarded-for": "127.0.0.1" }, { authorization: "Bearer not-a-token" }, { cookie: "__Host-switchyard.session=forged" }];
      for (const headers of spoofs) {
        const mark = counts();
        const a = await answer(await call(entry, { origin: "http://console.test", "sec-fetch-site": "same-origin", ...headers }));
        expect(a.status, `${JSON.stringify(headers)}: ${a.text}`).toBe(401);
        expect(a.contentType).toContain("application/problem+json");
        expect(a.body?.code).toBe("UNAUTHENTICATED");
        expectNothingReached(mark, `anonymous ${JSON.stringify(headers)}`);
      }
    });

    for (const role of ROLES) {
      const expected = EXPECTED[entry.key]?.[role];
      const backends = expected === 403 ? [] : (policy.backends ?? []);
      it(`${entry.key}: ${role} → ${expected}${backends.length ? ` (reaches ${backends.join(" and ")})` : ", no backend request"}`, async () => {
        const mark = counts();
        const a = await answer(await call(entry, { authorization: `Bearer ${tokens.get(role)}` }));
        expect(a.status, a.text).toBe(expected);
        expectProblemShape(a, policy);
        if (expected === 403 && !entry.key.startsWith("GET ") && !NOT_A_CHANGE.has(entry.key)) {
          // SECURITY 13: a refused change is on record, whichever layer refused it — a `denied` row, or
          // (a session-only operation refused inside its run) an intent and its `failed` outcome.
          const rows = await pg.asAdmin((c) => c.query<{ phase: string; outcome: string | null }>("SELECT phase, outcome FROM audit_events WHERE request_id = $1 ORDER BY id", [a.body?.requestId]));
          const trace = rows.rows.map((x) => x.outcome ?? x.phase);
          expect([["denied"], ["intent", "failed"]], `${role} on ${entry.key}: audit rows of the refusal ${JSON.stringify(trace)}`).toContainEqual(trace);
        }
        const r = reached(mark);
        if (backends.length === 0) expectNothingReached(mark, `${role} on ${entry.key}`);
        else {
          // Kubernetes-only routes (mesh) may read the registry from its short-lived cache.
          if (backends.includes("nacos")) expect(r.nacos, `Nacos requests: ${JSON.stringify(r.nacosSeen)}`).toBeGreaterThan(0);
          if (backends.includes("k8s")) expect(r.k8s, "Kubernetes connections").toBeGreaterThan(0);
          else expect(r.k8s, "Kubernetes connections").toBe(0);
        }
        if (entry.key === "POST /api/v1/environments/[name]/test" && expected === 200) {
          // The real backends answered — not a 200 carrying two failures.
          expect(a.body, a.text).toEqual([expect.objectContaining({ system: "nacos", ok: true }), expect.objectContaining({ system: "kubernetes", ok: true })]);
        }
      });
    }
  }
});

describe("out of scope: roles bound to tier=prod and the tier=dev matrix environment (SECURITY 14)", () => {
  for (const [key, row] of Object.entries(OUT_OF_SCOPE)) {
    it(`${key}: ${ROLES.map((r) => `${r} ${row[r]}`).join(", ")}; the same answer as for a name that does not exist; no backend request`, async () => {
      const entry = discovered.find((d) => d.key === key)!;
      const policy = POLICY[key]!;
      for (const role of ROLES) {
        const mark = counts();
        const a = await answer(await call(entry, { authorization: `Bearer ${prodTokens.get(role)}` }));
        expect(a.status, `${role}: ${a.text}`).toBe(row[role]);
        expectProblemShape(a, policy);
        expectNothingReached(mark, `prod-bound ${role} on ${key}`);
        // Indistinguishable from an environment (and site) that does not exist.
        const ghost = await answer(await call(entry, { authorization: `Bearer ${prodTokens.get(role)}` }, { env: "no-such-env", site: "no-such-site" }));
        expect({ status: ghost.status, code: ghost.body?.code }, `${role}, missing name: ${ghost.text}`).toEqual({ status: a.status, code: a.body?.code });
        expectNothingReached(mark, `prod-bound ${role} on ${key} (missing name)`);
      }
    });
  }

  it("lists leave the matrix environment and its site out (200, empty), with no backend request", async () => {
    for (const role of ROLES) {
      for (const key of ["GET /api/v1/environments", "GET /api/v1/sites"]) {
        const mark = counts();
        const a = await answer(await call(discovered.find((d) => d.key === key)!, { authorization: `Bearer ${prodTokens.get(role)}` }));
        expect(a.status, `${role} ${key}: ${a.text}`).toBe(200);
        expect(a.body, `${role} ${key}`).toEqual([]);
        expectNothingReached(mark, `prod-bound ${role} on ${key}`);
      }
    }
  });
});
