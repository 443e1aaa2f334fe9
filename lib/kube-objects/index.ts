/**
 * lib/kube-objects — the generic apply flow for Kubernetes objects (Istio for the mesh area,
 * Gateway API and Higress for the gateway area). Server-only except issues.ts, diff.ts,
 * yaml-source.ts and openapi-validate.ts, which are pure and may be used by components.
 *
 * HOW AN AREA USES IT (lib/mesh is the worked example):
 *
 * 1. One flow per area (lib/<area>/objects.ts):
 *      export const MESH = kubeObjectFlow({
 *        area: "mesh", kinds: ["ServiceEntry", "DestinationRule", …],   // also the multi-apply order
 *        readPermission: "mesh.policy.read", writePermission: "mesh.policy.write",
 *        actions: { write: "mesh.policy.write", delete: "mesh.policy.delete", rollback: "mesh.policy.rollback" },
 *        schemaRuleId: "SY-M001",            // optional; default SY-K002
 *        writeGuard: (actor, scope) => null, // optional extra refusal → audited `denied`, 403
 *        check: async (objects, ctx) => [],  // optional semantic rules; `error` issues block (422)
 *      });
 *
 * 2. One operation per file, defineOperation over the flow's definitions (the operations guard
 *    test counts the literal call in each file, so it must be written out in each file):
 *      // lib/mesh/apply-policy.ts
 *      export const applyPolicy = defineOperation( { ...MESH.applyDefinition } );   // written without the space
 *    Definitions: applyDefinition (create/replace one object), applyManyDefinition (several
 *    objects of one namespace, in `kinds` order, reverting earlier writes when a later one fails:
 *    outcome `partial`), deleteDefinition, rollbackDefinition.
 *
 * 3. Inputs (JSON bodies; the route adds environment/kind/namespace/name from the URL):
 *      apply:    { environment, kind, namespace, name, object | yaml, resourceVersion: string | null }
 *                resourceVersion = what the operator saw live (null: they expect to create it).
 *      applyMany:{ environment, namespace, objects: [{ kind, name, object | yaml, resourceVersion }] }
 *      delete:   { environment, kind, namespace, name, resourceVersion }
 *      rollback: { environment, kind, namespace, name, revision, resourceVersion: string | null }
 *
 * 4. The flow of a write: structural validation (YAML syntax SY-K001, metadata SY-K003, the CRD
 *    OpenAPI schema read from the cluster and cached per environment, SY-K002 or schemaRuleId) →
 *    the area's `check` → live object compared with `resourceVersion` (differs → 409 CONFLICT with
 *    `live`, `liveResourceVersion` and `diff` in the problem body; never retried) → server dry run
 *    (`dryRun=All`) → write with the resourceVersion → revision row in kube_object_revisions (env,
 *    kind, namespace, name, revision, resourceVersion, object, actor, request id, time; the live
 *    object first as an `observed` revision when the console had not seen that version) → audit
 *    outcome with before/after and versions (defineOperation). Invalid objects: ObjectInvalidError,
 *    HTTP 422 with `issues` (ObjectIssue: ruleId, severity, path, line, column, message, messageZh).
 *
 * 5. Reads (authorized: the area's read permission in the environment + namespace, else 404):
 *    listObjects, getObject, listRevisions, getRevision (with the stored object), preview (issues
 *    + diff vs live + dry-run verdict, stores nothing), validateYaml (multi-document YAML → issues
 *    at line/column, for the editor), kindOf (apiVersion/kind → the area's kind key).
 */
export { kubeObjectFlow, ObjectInvalidError, parseYamlObjects, type ApplyResult, type KubeAreaConfig, type KubeAreaContext, type KubeObjectFlow, type MultiApplyResult, type MultiApplyStep, type PreviewResult } from "./flow";
export { editablePart, objectDiff, sameEditable, type EditableObject } from "@/lib/kube-objects/model/diff";
export { hasErrors, KUBE_RULES, type IssueSeverity, type ObjectIssue } from "@/lib/kube-objects/model/issues";
export { formatPath, validateAgainstSchema, type OpenApiSchema, type SchemaIssue } from "@/lib/kube-objects/model/openapi-validate";
export { parseObjectsYaml, toYaml } from "@/lib/kube-objects/model/yaml-source";
export { forgetCrdSchemas } from "./crd-schemas";
export type { RevisionView } from "./revisions";
