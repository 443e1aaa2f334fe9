import "server-only";
import { getDb } from "@/lib/database";
import { readCheckpoints } from "@/lib/audit/checkpoint-file";
import { checkpointFile } from "@/lib/audit/maintenance";
import { verifyAuditChain, type VerifyReport } from "@/lib/audit/verify";

/** Verifies the chain against the checkpoint file. Who may: audit.verify (auditors, admins). */
export async function getAuditVerification(): Promise<VerifyReport> {
  return verifyAuditChain(await getDb(), { checkpoints: readCheckpoints(checkpointFile()) });
}
