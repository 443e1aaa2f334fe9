/** Moved to lib/kube-objects/model/openapi-validate.ts (pure, importable by components); kept so existing imports work. */
export * from "@/lib/kube-objects/model/openapi-validate";
