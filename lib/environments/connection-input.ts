/**
 * An environment's connections as entered, checked and merged with the stored credentials:
 * shared by create-environment.ts and update-environment.ts.
 */
import "server-only";
import type { KubernetesConnection, RegistryConnection } from "@/db/schema";
import { validateUrl, validateZookeeperHosts } from "@/lib/environments/endpoints";
import { EnvironmentInput } from "@/lib/environments/schemas";
import { AppError } from "@/lib/errors";

const NACOS_SECRETS = ["nacosPassword", "nacosAccessToken"] as const;
const KUBERNETES_SECRETS = ["k8sClientCertPem", "k8sClientKeyPem", "k8sBearerToken"] as const;

/** host:port of an endpoint URL (default ports elided, host lower-cased by URL). */
function hostOf(url: string): string {
  return new URL(url).host;
}

/**
 * Stored credentials belong to the host they were entered for: when an endpoint moves to
 * another host (host:port), they are dropped and must be entered again, or the old host's
 * password would be sent to the new one (docs/security.md 39). Returns
 * whether the backend had any stored.
 */
function forgetOnMove(secrets: Record<string, string>, keys: readonly string[], before: string | undefined, after: string): boolean {
  if (before === undefined || hostOf(before) === hostOf(after)) return false;
  const had = keys.some((k) => k in secrets);
  for (const k of keys) delete secrets[k];
  return had;
}

function reenter(field: string, before: string, after: string): AppError {
  return new AppError("VALIDATION", `${field}: endpoint moved from ${hostOf(before)} to ${hostOf(after)} without new credentials`, {
    fields: [{ field, message: "re-enter the credentials: the endpoint host changed" }],
    userMessage: `The endpoint now points at ${hostOf(after)} instead of ${hostOf(before)}. Enter its credentials again: the stored ones are never sent to another host.`,
  });
}

interface PreviousConnections {
  registry: RegistryConnection | null;
  kubernetes: KubernetesConnection | null;
}

/** Validates endpoints and splits the input into stored connection facts and secrets. */
export async function prepare(input: EnvironmentInput, previousSecrets: Record<string, string>, previous?: PreviousConnections) {
  const secrets: Record<string, string> = { ...previousSecrets };
  let registry: RegistryConnection | null = null;
  if (input.registry?.kind === "nacos") {
    const r = input.registry;
    registry = { kind: "nacos", url: await validateUrl("registry.url", r.url, ["http:", "https:"]), username: r.username || undefined, namespaces: r.namespaces };
    const before = previous?.registry?.kind === "nacos" ? previous.registry.url : undefined;
    const hadPassword = "nacosPassword" in secrets;
    if (forgetOnMove(secrets, NACOS_SECRETS, before, registry.url) && !r.password && !r.accessToken) {
      throw reenter(hadPassword ? "registry.password" : "registry.accessToken", before!, registry.url);
    }
    if (r.password) secrets.nacosPassword = r.password;
    if (r.accessToken) secrets.nacosAccessToken = r.accessToken;
  } else if (input.registry?.kind === "zookeeper") {
    const r = input.registry;
    registry = { kind: "zookeeper", hosts: await validateZookeeperHosts("registry.hosts", r.hosts), layout: r.layout, root: r.root };
  }
  if (input.registry?.kind !== "nacos") {
    for (const k of NACOS_SECRETS) delete secrets[k];
  }
  let kubernetes: KubernetesConnection | null = null;
  if (input.kubernetes) {
    const k = input.kubernetes;
    kubernetes = { apiUrl: await validateUrl("kubernetes.apiUrl", k.apiUrl, ["https:"]), caPem: k.caPem || undefined, auth: k.auth };
    const before = previous?.kubernetes?.apiUrl;
    if (forgetOnMove(secrets, KUBERNETES_SECRETS, before, kubernetes.apiUrl)) {
      if (k.auth === "client-certificate" && !(k.clientCertPem && k.clientKeyPem)) {
        throw reenter(k.clientKeyPem ? "kubernetes.clientCertPem" : "kubernetes.clientKeyPem", before!, kubernetes.apiUrl);
      }
      if (k.auth === "bearer-token" && !k.bearerToken) throw reenter("kubernetes.bearerToken", before!, kubernetes.apiUrl);
    }
    if (k.auth === "client-certificate") {
      if (k.clientCertPem) secrets.k8sClientCertPem = k.clientCertPem;
      if (k.clientKeyPem) secrets.k8sClientKeyPem = k.clientKeyPem;
      delete secrets.k8sBearerToken;
      if (!secrets.k8sClientCertPem || !secrets.k8sClientKeyPem) {
        throw new AppError("VALIDATION", "client certificate missing", { fields: [{ field: "kubernetes.clientKeyPem", message: "a client certificate and key are required" }] });
      }
    } else {
      if (k.bearerToken) secrets.k8sBearerToken = k.bearerToken;
      delete secrets.k8sClientCertPem;
      delete secrets.k8sClientKeyPem;
      if (!secrets.k8sBearerToken) throw new AppError("VALIDATION", "token missing", { fields: [{ field: "kubernetes.bearerToken", message: "required" }] });
    }
  } else {
    for (const k of KUBERNETES_SECRETS) delete secrets[k];
  }
  const prometheusUrl = input.prometheusUrl ? await validateUrl("prometheusUrl", input.prometheusUrl, ["http:", "https:"]) : null;
  return { registry, kubernetes, prometheusUrl, secrets };
}
