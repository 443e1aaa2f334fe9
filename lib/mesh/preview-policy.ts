import "server-only";
/**
 * What applying one Istio object would do, without doing it: structural and mesh issues, the
 * diff against the live object and the API server's dry-run verdict. A read (mesh.policy.read in
 * scope): nothing is stored, nothing audited.
 */
import type { Actor } from "@/lib/auth/actor";
import type { PreviewResult } from "@/lib/kube-objects";
import { MESH } from "./objects";

export function previewPolicy(actor: Actor, input: unknown): Promise<PreviewResult> {
  return MESH.preview(actor, input);
}
