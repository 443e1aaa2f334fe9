/**
 * How the audit names a username that matched no account (docs/security.md §21): a failed
 * sign-in's username is whatever was typed — sometimes a password in the wrong field — so
 * audit rows and exports get a keyed hash of it, never the text. The same typed name gives
 * the same pseudonym (repeated attempts against one name stay visible), and without the key
 * a pseudonym cannot be checked against guesses.
 *
 * The key is derived from the app secret with HKDF under a fixed label, so it is neither the
 * secret itself nor the key of anything else derived from it. Rotating the secret changes
 * every pseudonym from then on.
 */
import "server-only";
import { createHmac, hkdfSync } from "node:crypto";
import { appSecret } from "@/lib/secret";

const LABEL = "switchyard/audit/username-pseudonym/v1";

let cached: { secret: string; key: Buffer } | undefined;

function pseudonymKey(): Buffer {
  const secret = appSecret();
  if (cached?.secret !== secret) {
    cached = { secret, key: Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.from(LABEL, "utf8"), Buffer.from("username", "utf8"), 32)) };
  }
  return cached.key;
}

/**
 * `unknown:` and the first 16 hex digits (64 bits) of HMAC-SHA256 over the username, NFC
 * normalized and lowercased, so one name typed in another letter case is one pseudonym.
 */
export function pseudonymizeUsername(username: string): string {
  const mac = createHmac("sha256", pseudonymKey()).update(username.normalize("NFC").toLowerCase(), "utf8").digest("hex");
  return `unknown:${mac.slice(0, 16)}`;
}
