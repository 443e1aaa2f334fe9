/**
 * Key maintenance from a shell (docs/security.md §38):
 *
 *   npm run keys -- rotate-encryption [--new-key-file FILE]
 *
 * Re-encrypts every stored backend credential from the current credential key
 * (SWITCHYARD_ENCRYPTION_KEY, or the generated one of the embedded default) to a new key read
 * from --new-key-file, SWITCHYARD_NEW_ENCRYPTION_KEY_FILE or SWITCHYARD_NEW_ENCRYPTION_KEY —
 * in one transaction, audited as `environment.credentials.rekey`. If any stored credential
 * does not open with the current key, nothing changes. Prints counts, never a key.
 *
 * Stop the console first (every replica): a replica still running with the old key cannot
 * open what was re-encrypted, and the embedded database admits one process at a time. Then
 * start it with SWITCHYARD_ENCRYPTION_KEY set to the new key (the embedded default's
 * generated key file is replaced here).
 */
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "@/db/client";
import { rotateEncryptionKey } from "@/lib/environments/rekey";
import { dataDir, serverEnv } from "@/lib/env";
import { assertUsableEncryptionKey } from "@/lib/secret-policy";
import { appSecret, encryptionKey, generatedEncryptionKeyFile } from "@/lib/secret";

class UsageError extends Error {}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function newKey(current: string, secret: string): string {
  const file = arg("--new-key-file") ?? process.env.SWITCHYARD_NEW_ENCRYPTION_KEY_FILE;
  let key: string | undefined;
  if (file) {
    try {
      key = fs.readFileSync(path.resolve(file), "utf8").trim();
    } catch (e) {
      throw new UsageError(`SWITCHYARD_NEW_ENCRYPTION_KEY: cannot read the new key file ${file} (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
  } else {
    key = process.env.SWITCHYARD_NEW_ENCRYPTION_KEY;
  }
  if (key === undefined) {
    throw new UsageError("SWITCHYARD_NEW_ENCRYPTION_KEY (or --new-key-file FILE) must give the new key; generate one with `openssl rand -base64 48`.");
  }
  assertUsableEncryptionKey(key, secret, "SWITCHYARD_NEW_ENCRYPTION_KEY");
  if (key.trim() === current.trim()) throw new UsageError("SWITCHYARD_NEW_ENCRYPTION_KEY is the current key; nothing to rotate.");
  return key;
}

/** The embedded default keeps its key in the data directory: replace it atomically. */
function replaceKeyFile(file: string, key: string): void {
  const next = `${file}.next`;
  fs.writeFileSync(next, key + "\n", { mode: 0o600 });
  fs.renameSync(next, file);
}

async function rotate(): Promise<number> {
  const env = serverEnv();
  const secret = appSecret();
  const current = encryptionKey();
  const keyFile = generatedEncryptionKeyFile();
  const next = newKey(current, secret);
  const handle = await openDatabase({ url: env.DATABASE_URL, pgliteDir: path.join(dataDir(), "pglite"), statementTimeoutMs: Math.max(env.SWITCHYARD_DB_TIMEOUT_MS, 60_000) });
  try {
    const report = await rotateEncryptionKey(handle.db, current, next, process.env.USER ? `keys-cli (${process.env.USER})` : "keys-cli");
    process.stdout.write(`re-encrypted the credentials of ${report.count} environment(s); ${report.alreadyUnderNewKey} already under the new key.\n`);
    if (keyFile) {
      try {
        replaceKeyFile(keyFile, next);
        process.stdout.write(`replaced the generated key in ${keyFile}; start the console as usual.\n`);
      } catch (e) {
        process.stderr.write(`the credentials are under the new key, but ${keyFile} could not be replaced (${(e as NodeJS.ErrnoException).code ?? "error"}): put the new key there before starting the console.\n`);
        return 1;
      }
    } else {
      process.stdout.write("now set SWITCHYARD_ENCRYPTION_KEY to the new key on every replica and start them.\n");
    }
    return 0;
  } finally {
    await handle.close();
  }
}

async function main(): Promise<number> {
  const command = process.argv[2];
  switch (command) {
    case "rotate-encryption":
      return rotate();
    default:
      process.stderr.write("usage: npm run keys -- rotate-encryption [--new-key-file FILE]\n");
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    // Messages name variables and environments, never a key (lib/secret-policy.ts).
    process.stderr.write(`keys: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
