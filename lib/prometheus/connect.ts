/**
 * The Prometheus client of an environment, built from its stored record (never from request
 * parameters, docs/security.md §30) with the address guard on every connection.
 */
import "server-only";
import type { EnvironmentRow } from "@/db/schema";
import { createPrometheusClient, type PrometheusClient } from "@/lib/prometheus/client";

const CLIENTS_MAX = 256;
const clients = new Map<string, { fingerprint: string; client: PrometheusClient }>();

/** Null when the environment has no Prometheus URL. Callers resolve and authorize the row first. */
export function prometheusClientFor(row: EnvironmentRow): PrometheusClient | null {
  if (!row.prometheusUrl) return null;
  const fingerprint = JSON.stringify([row.name, row.version, row.prometheusUrl]);
  const hit = clients.get(row.id);
  if (hit?.fingerprint === fingerprint) return hit.client;
  const client = createPrometheusClient({ environment: row.name, baseUrl: row.prometheusUrl, timeoutMs: Number(process.env.SWITCHYARD_PROMETHEUS_TIMEOUT_MS) || 5_000 }, { guardAddresses: true });
  clients.delete(row.id);
  clients.set(row.id, { fingerprint, client });
  if (clients.size > CLIENTS_MAX) clients.delete(clients.keys().next().value!);
  return client;
}
