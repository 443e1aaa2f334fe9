/**
 * Wraps every /api/v1 route handler (like dub's withWorkspace): request id, same-origin
 * check on state-changing requests (docs/security.md §29), authentication, a permission check,
 * and errors as problem+json. The handler still goes through lib/ops for any change.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { forbidden, type Actor } from "@/lib/auth/actor";
import { actorFromRequest } from "@/lib/auth/authenticate";
import { decide, type Permission } from "@/lib/auth/rbac";
import { AppError } from "@/lib/errors";
import { clientInfo } from "@/lib/http/client-info";
import { problemResponse } from "@/lib/http/problem";
import { noteActor, withHttpMetrics } from "@/lib/metrics/http";
import { zodToAppError } from "@/lib/zod-error";
import type { RequestMeta } from "@/lib/audit/record";
import type { AuditAction } from "@/lib/audit/actions";
import { auditActor, auditTrail } from "@/lib/audit/trail";
import { getDb } from "@/lib/database";

export interface RouteContext<P> {
  actor: Actor;
  meta: RequestMeta;
  params: P;
}

export interface RouteOptions {
  /** Checked before the handler runs; handlers check scope-specific permission themselves. */
  permission?: Permission;
  /**
   * For a state-changing route: the action a refusal of `permission` is audited as (a `denied`
   * row naming the route's environment, docs/security.md §13), so a caller without the
   * permission anywhere leaves the same trace as one refused by scope inside the operation.
   */
  deniedAction?: { action: AuditAction; targetKind: string };
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Cross-site requests never change anything (Next.js only guards server actions). */
export function assertSameOrigin(req: Request): void {
  if (!UNSAFE.has(req.method)) return;
  if (req.headers.get("authorization")?.startsWith("Bearer ")) return; // tokens carry no ambient cookie
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    throw new AppError("FORBIDDEN", `cross-site ${req.method} refused (sec-fetch-site=${site})`, {
      userMessage: "Cross-site requests are refused.",
    });
  }
  const origin = req.headers.get("origin");
  if (origin) {
    const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = "";
    }
    if (!host || originHost !== host) {
      throw new AppError("FORBIDDEN", `cross-origin ${req.method} refused (origin=${origin})`, {
        userMessage: "Cross-site requests are refused.",
      });
    }
  } else if (!site) {
    // Neither header: not a browser request we can vouch for, and not a token either.
    throw new AppError("FORBIDDEN", `${req.method} without Origin refused`, { userMessage: "Cross-site requests are refused." });
  }
}

export function apiRoute<P = Record<string, never>>(
  options: RouteOptions,
  handler: (req: NextRequest, ctx: RouteContext<P>) => Promise<Response>,
) {
  return withHttpMetrics(async (req: NextRequest, routeCtx: { params: Promise<P> }): Promise<Response> => {
    const requestId = randomUUID();
    const instance = new URL(req.url).pathname;
    try {
      assertSameOrigin(req);
      const actor = await actorFromRequest(req.headers, req.cookies);
      if (!actor) throw new AppError("UNAUTHENTICATED", "no valid session");
      noteActor(req, actor.username);
      const params = routeCtx?.params ? await routeCtx.params : ({} as P);
      if (options.permission && !decide(actor.grants, options.permission)) {
        if (options.deniedAction) await auditRouteDenial(options.deniedAction, options.permission, actor, params, { requestId, ...clientInfo(req.headers) });
        throw forbidden(actor, options.permission);
      }
      const res = await handler(req, { actor, params, meta: { requestId, ...clientInfo(req.headers) } });
      res.headers.set("x-request-id", requestId);
      if (!res.headers.has("cache-control")) res.headers.set("cache-control", "no-store");
      return res;
    } catch (e) {
      return problemResponse(e, requestId, instance);
    }
  });
}

async function auditRouteDenial(denied: { action: AuditAction; targetKind: string }, permission: Permission, actor: Actor, params: unknown, meta: RequestMeta): Promise<void> {
  const p = (params ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  let db;
  try {
    db = await getDb();
  } catch {
    return; // the refusal stands; nothing to record it in
  }
  await auditTrail(db, {
    requestId: meta.requestId,
    action: denied.action,
    actor: auditActor(actor),
    environment: str(p.name),
    namespace: str(p.namespace),
    targetKind: str(p.kind) ?? denied.targetKind,
    targetName: str(p.route) ?? str(p.objname),
    clientIp: meta.clientIp ?? null,
    userAgent: meta.userAgent ?? null,
  }).denied({ permission });
}

function badBody(message: string): AppError {
  return new AppError("VALIDATION", message, { fields: [{ field: "(body)", message: "must be a JSON object" }] });
}

/**
 * The one way a route reads a JSON body: malformed JSON, or JSON that is not an object, is a
 * 400 problem+json naming the field "(body)". The fields themselves are validated by the
 * operation's schema (or by `readJson`).
 */
export async function readBody(req: Request): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw badBody("body is not JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badBody("body is not a JSON object");
  return body as Record<string, unknown>;
}

/** Parses a JSON body with a zod schema; a malformed body is a 400 naming the problem. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  const parsed = schema.safeParse(await readBody(req));
  if (!parsed.success) throw zodToAppError(parsed.error);
  return parsed.data;
}

/**
 * The one way a route reads its query string: parsed with a zod schema, a bad or missing
 * parameter is a 400 problem+json naming it. `path` adds route parameters (already decoded by
 * Next.js) to validate with the same schema, so a bad path segment is named too.
 */
export function readQuery<S extends z.ZodType>(req: Request, schema: S, path: Record<string, string> = {}): z.output<S> {
  const parsed = schema.safeParse({ ...Object.fromEntries(new URL(req.url).searchParams), ...path });
  if (!parsed.success) throw zodToAppError(parsed.error);
  return parsed.data;
}

export function json(data: unknown, init: ResponseInit = {}): Response {
  return Response.json(data, init);
}

/**
 * For the few routes that run before a session exists (sign-in): request id, same-origin
 * check, problem+json — and no actor.
 */
export function publicRoute(handler: (req: NextRequest, meta: RequestMeta) => Promise<Response>) {
  return withHttpMetrics(async (req: NextRequest): Promise<Response> => {
    const requestId = randomUUID();
    try {
      assertSameOrigin(req);
      const res = await handler(req, { requestId, ...clientInfo(req.headers) });
      res.headers.set("x-request-id", requestId);
      res.headers.set("cache-control", "no-store");
      return res;
    } catch (e) {
      return problemResponse(e, requestId, new URL(req.url).pathname);
    }
  });
}
