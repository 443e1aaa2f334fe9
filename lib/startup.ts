import "server-only";
import { databaseHandle } from "@/db";
import { serverEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { appSecret } from "@/lib/secret";

export async function startup(): Promise<void> {
  try {
    serverEnv();
    appSecret();
  } catch (e) {
    // Not through the logger's JSON only: an operator reading a failed start needs the sentence.
    process.stderr.write(`\nSwitchyard cannot start: ${e instanceof Error ? e.message : String(e)}\n\n`);
    process.exit(1);
  }
  try {
    const handle = await databaseHandle();
    logger.info("database ready", { kind: handle.kind });
  } catch (e) {
    // The process stays up: /api/ready reports 503 and the next request retries.
    logger.error("database not ready at start", { err: e });
  }
}
