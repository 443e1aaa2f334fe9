// GET /api/v1/audit/verify – walk the audit chain and checkpoints; names the first broken row
import { getAuditVerification } from "@/lib/audit/verify-service";
import { apiRoute, json } from "@/lib/http/route";

export const GET = apiRoute({ permission: "audit.verify" }, async () => json(await getAuditVerification()));
