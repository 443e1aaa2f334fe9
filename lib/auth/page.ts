/** Server pages check the session themselves (middleware is never the boundary). */
import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { Actor } from "@/lib/auth/actor";
import { actorFromCookies } from "@/lib/auth/authenticate";

export async function pageActor(): Promise<Actor | null> {
  return actorFromCookies(await cookies());
}

export async function requirePageActor(): Promise<Actor> {
  const actor = await pageActor();
  if (!actor) redirect("/login");
  return actor;
}
