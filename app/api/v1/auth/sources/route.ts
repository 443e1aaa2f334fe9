// GET /api/v1/auth/sources – which account sources the sign-in page offers (ldap, local)
import { signInSources } from "@/lib/session/sign-in";
import { publicRoute } from "@/lib/http/route";

export const GET = publicRoute(async () => Response.json({ sources: signInSources() }));
