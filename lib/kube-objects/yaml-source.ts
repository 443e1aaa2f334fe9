/** Moved to lib/kube-objects/model/yaml-source.ts (pure, importable by components); kept so existing imports work. */
export * from "@/lib/kube-objects/model/yaml-source";
