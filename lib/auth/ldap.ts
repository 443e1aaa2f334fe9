/**
 * LDAP directory access (ldapts against OpenLDAP): password check and group read-back for
 * console sign-in, and the service-account re-read used by the periodic role refresh.
 *
 * docs/security.md §8–12, in order of the flow:
 * - empty / whitespace / NUL passwords and NUL / overlong usernames are refused before any
 *   connection (an RFC 4513 unauthenticated bind "succeeds" as anonymous; ldapts sends it);
 * - TLS always (ldaps:// or StartTLS) with the configured CA and hostname verification;
 *   plaintext only with an explicit `allowInsecure`; connect and operation timeouts set;
 * - the user is found by the service account with a filter built only by RFC 4515 escaping,
 *   exactly one entry or nothing; the password is checked by binding as the DN that search
 *   returned, on a separate connection; no DN is ever built from input;
 * - groups are read by the service account; referrals are never followed; every connection
 *   is unbound in `finally`.
 * A directory that cannot be reached or answers too slowly is SERVICE_UNAVAILABLE (503): it is
 * the console's own identity system.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import type { ConnectionOptions } from "node:tls";
import {
  AndFilter,
  ApproximateFilter,
  Client,
  EqualityFilter,
  ExtensibleFilter,
  FilterParser,
  GreaterThanEqualsFilter,
  LessThanEqualsFilter,
  NoSuchObjectError,
  NotFilter,
  OrFilter,
  ResultCodeError,
  SubstringFilter,
  type Entry,
  type Filter,
} from "ldapts";
import { z } from "zod";
import { UpstreamError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { observeUpstream } from "@/lib/metrics/registry";

const MAX_USERNAME_LENGTH = 256;
/** Far above any real passphrase; keeps a hostile client from making us ship megabytes to slapd. */
const MAX_PASSWORD_LENGTH = 1024;
const MAX_DN_LENGTH = 2048;
const MAX_GROUPS = 1000;
const DEFAULT_GROUP_FILTER = "(&(objectClass=groupOfNames)(member={dn}))";
const INVALID_CREDENTIALS = 49;

/** Directory settings. Validated on every call; a bad config is SERVICE_UNAVAILABLE, logged. */
export const LdapConfig = z.object({
  url: z
    .string()
    .regex(/^ldaps?:\/\/[^/?#@\s]+\/?$/i, "must be ldap://host[:port] or ldaps://host[:port]"),
  startTls: z.boolean(),
  /** PEM of the CA(s) that sign the directory's certificate; the system store when absent. */
  caPem: z.string().min(1).optional(),
  bindDn: z.string().min(1).max(MAX_DN_LENGTH),
  bindPassword: z.string().refine((p) => p.trim() !== "" && !p.includes("\u0000"), "must not be empty"),
  userBase: z.string().min(1).max(MAX_DN_LENGTH),
  /** RFC 4515 template with `{username}`, e.g. "(&(objectClass=inetOrgPerson)(uid={username}))". */
  userFilter: z.string().includes("{username}"),
  groupBase: z.string().min(1).max(MAX_DN_LENGTH),
  /** RFC 4515 template with `{dn}`; default "(&(objectClass=groupOfNames)(member={dn}))". */
  groupFilter: z.string().includes("{dn}").optional(),
  /** Attribute holding the login name returned as `username`; default "uid". */
  usernameAttribute: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]*$/)
    .optional(),
  connectTimeoutMs: z.number().int().positive().max(60_000),
  timeoutMs: z.number().int().positive().max(60_000),
  allowInsecure: z.boolean().optional(),
});
export type LdapConfig = z.infer<typeof LdapConfig>;

export interface LdapUser {
  /** The stable key (with entryUUID): never the mail address. */
  dn: string;
  username: string;
  displayName: string;
  mail?: string;
  /** DNs of the groups the user is a member of, sorted. */
  groups: string[];
  entryUUID?: string;
}

// --- RFC 4515 -------------------------------------------------------------------------------

/**
 * Escapes a value for an LDAP search filter (RFC 4515 §3): `*` `(` `)` `\` NUL as `\2a` `\28`
 * `\29` `\5c` `\00`, every byte of a non-ASCII character's UTF-8 form as `\xx`, and (for
 * readable logs, allowed by the RFC) the other control characters too.
 */
export function escapeFilterValue(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const special = byte === 0x2a || byte === 0x28 || byte === 0x29 || byte === 0x5c;
    if (special || byte < 0x20 || byte >= 0x7f) out += "\\" + byte.toString(16).padStart(2, "0");
    else out += String.fromCharCode(byte);
  }
  return out;
}

/**
 * Fills `{name}` placeholders of a configured filter template with escaped values. The
 * template is trusted configuration; only the values come from outside.
 */
export function buildLdapFilter(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!Object.hasOwn(values, name)) throw new Error(`filter template has an unknown placeholder ${whole}`);
    return escapeFilterValue(values[name]!);
  });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** ldapts decodes `\xx` one char per byte (U+00xx); turn such strings back into the UTF-8 text they encode. */
function bytesToText(v: string): string {
  if (!/[^\u0000-\u007f]/.test(v) || /[^\u0000-\u00ff]/.test(v)) return v;
  try {
    return utf8.decode(Buffer.from(v, "latin1"));
  } catch {
    return v;
  }
}

function fixValues(f: Filter): Filter {
  if (f instanceof AndFilter || f instanceof OrFilter) f.filters.forEach(fixValues);
  else if (f instanceof NotFilter) fixValues(f.filter);
  else if (f instanceof EqualityFilter) f.value = typeof f.value === "string" ? bytesToText(f.value) : f.value;
  else if (f instanceof ApproximateFilter || f instanceof GreaterThanEqualsFilter || f instanceof LessThanEqualsFilter) f.value = bytesToText(f.value);
  else if (f instanceof ExtensibleFilter) f.value = bytesToText(f.value);
  else if (f instanceof SubstringFilter) {
    f.initial = bytesToText(f.initial);
    f.final = bytesToText(f.final);
    f.any = f.any.map(bytesToText);
  }
  return f;
}

/**
 * Turns an escaped RFC 4515 filter string into an ldapts Filter with exact values. Every
 * non-ASCII character is escaped first so the parser only ever sees ASCII; its `\xx` decoding
 * (one char per byte, which would otherwise send UTF-8 twice-encoded) is then undone.
 * Exported for tests.
 */
export function toLdapFilter(filter: string): Filter {
  const ascii = filter.replace(/[^\u0000-\u007f]+/g, (s) => escapeFilterValue(s));
  return fixValues(FilterParser.parseString(ascii));
}

// --- input guards ---------------------------------------------------------------------------

function acceptableUsername(u: unknown): u is string {
  return (
    typeof u === "string" &&
    u.length > 0 &&
    u.length <= MAX_USERNAME_LENGTH &&
    u.trim() !== "" &&
    !u.includes("\u0000") &&
    !/\p{Surrogate}/u.test(u) // a lone surrogate would be sent as U+FFFD: not what was typed
  );
}

function acceptablePassword(p: unknown): p is string {
  return typeof p === "string" && p.length <= MAX_PASSWORD_LENGTH && p.trim() !== "" && !p.includes("\u0000");
}

// --- connections ----------------------------------------------------------------------------

function unavailable(what: string, cause?: unknown): UpstreamError {
  const detail = cause instanceof Error ? cause.message : cause === undefined ? "" : String(cause);
  logger.warn("ldap unavailable", { what, err: cause });
  return new UpstreamError("SERVICE_UNAVAILABLE", "ldap", `LDAP ${what}${detail ? `: ${detail}` : ""}`, { cause });
}

function parseConfig(config: LdapConfig): LdapConfig {
  const parsed = LdapConfig.safeParse(config);
  if (!parsed.success) {
    throw unavailable("configuration is invalid", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  }
  const c = parsed.data;
  const secure = /^ldaps:/i.test(c.url);
  if (secure && c.startTls) throw unavailable("configuration is invalid", "startTls with an ldaps:// URL");
  if (!secure && !c.startTls && !c.allowInsecure) {
    throw unavailable("configuration is invalid", "plaintext ldap:// without startTls (set allowInsecure to accept it)");
  }
  try {
    toLdapFilter(buildLdapFilter(c.userFilter, { username: "x" }));
    toLdapFilter(buildLdapFilter(c.groupFilter ?? DEFAULT_GROUP_FILTER, { dn: "cn=x" }));
  } catch (e) {
    throw unavailable("configuration is invalid (filter template)", e);
  }
  return c;
}

function tlsOptions(c: LdapConfig): ConnectionOptions {
  const host = new URL(c.url).hostname.replace(/^\[(.*)\]$/, "$1");
  return {
    ca: c.caPem,
    rejectUnauthorized: true,
    // The name checked against the certificate; SNI only for DNS names (RFC 6066).
    host,
    ...(isIP(host) ? {} : { servername: host }),
    minVersion: "TLSv1.2",
  };
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A connected client, TLS in place, not yet bound. Transport failures are SERVICE_UNAVAILABLE. */
async function connect(c: LdapConfig): Promise<Client> {
  const secure = /^ldaps:/i.test(c.url);
  let client: Client;
  try {
    client = new Client({
      url: c.url,
      connectTimeout: c.connectTimeoutMs,
      timeout: c.timeoutMs,
      strictDN: true,
      // Given only for ldaps://: ldapts treats any tlsOptions as "implicit TLS".
      ...(secure ? { tlsOptions: tlsOptions(c) } : {}),
    });
  } catch (e) {
    throw unavailable("configuration is invalid", e);
  }
  if (c.startTls) {
    try {
      // startTLS = connect (connectTimeout) + extended op (timeout) + a handshake ldapts does not time.
      await within(client.startTLS(tlsOptions(c)), c.connectTimeoutMs + c.timeoutMs, "StartTLS");
    } catch (e) {
      await release(client);
      throw unavailable(`StartTLS with ${c.url} failed`, e);
    }
  }
  return client;
}

async function release(client: Client): Promise<void> {
  try {
    await client.unbind();
  } catch {
    // The connection is gone either way.
  }
}

/**
 * One directory call, timed for the upstream metrics (system "ldap", no environment: it is the
 * console's own directory). An answer, even a refusal (wrong password, no such object), is ok;
 * no answer (network, TLS, timeout) is an error.
 */
async function timed<T>(call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    const out = await call();
    observeUpstream("ldap", undefined, started, true);
    return out;
  } catch (e) {
    observeUpstream("ldap", undefined, started, e instanceof ResultCodeError);
    throw e;
  }
}

/** Opens a connection bound as the service account. */
async function serviceClient(c: LdapConfig): Promise<Client> {
  const client = await connect(c);
  try {
    await timed(() => client.bind(c.bindDn, c.bindPassword));
    return client;
  } catch (e) {
    await release(client);
    // Wrong service credentials are a broken console, not a wrong user password.
    throw unavailable(e instanceof ResultCodeError ? "service account bind was refused" : `bind to ${c.url} failed`, e);
  }
}

// --- directory reads ------------------------------------------------------------------------

function first(entry: Entry, attribute: string): string | undefined {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  if (!key) return undefined;
  const v = entry[key];
  const one = Array.isArray(v) ? v[0] : v;
  if (one === undefined) return undefined;
  const s = Buffer.isBuffer(one) ? one.toString("utf8") : String(one);
  return s === "" ? undefined : s;
}

function userAttributes(c: LdapConfig): string[] {
  return [c.usernameAttribute ?? "uid", "cn", "displayName", "mail", "entryUUID"];
}

async function search(client: Client, base: string, options: Parameters<Client["search"]>[1], what: string): Promise<Entry[]> {
  try {
    const result = await timed(() => client.search(base, { derefAliases: "never", ...options }));
    if (result.searchReferences.length) {
      // Continuation references point at other servers; we never follow them.
      logger.warn("ldap search returned referrals; ignored", { what, count: result.searchReferences.length });
    }
    return result.searchEntries;
  } catch (e) {
    if (e instanceof NoSuchObjectError) return [];
    throw unavailable(`${what} failed`, e);
  }
}

async function readGroups(client: Client, c: LdapConfig, dn: string): Promise<string[]> {
  const filter = toLdapFilter(buildLdapFilter(c.groupFilter ?? DEFAULT_GROUP_FILTER, { dn }));
  const entries = await search(client, c.groupBase, { scope: "sub", filter, attributes: ["1.1"], sizeLimit: MAX_GROUPS }, "group search");
  if (entries.length >= MAX_GROUPS) logger.warn("ldap group search hit the size limit; roles may be incomplete", { dn });
  return [...new Set(entries.map((e) => e.dn))].sort();
}

export interface LdapGroup {
  dn: string;
  /** The group's common name, as people call it. */
  name: string;
  description?: string;
}

/** At most this many groups per lookup: it feeds a picker, not a report. */
const MAX_GROUP_MATCHES = 20;

/**
 * Groups under the group base whose common name contains `text` (case-insensitive), by the
 * service account, for the role-binding form: the binding then stores the group's DN. The
 * text is escaped (RFC 4515), so `*` or `)` match themselves. Throws SERVICE_UNAVAILABLE when
 * the directory cannot be reached.
 */
export async function searchLdapGroups(config: LdapConfig, text: string): Promise<LdapGroup[]> {
  const c = LdapConfig.parse(config);
  const value = escapeFilterValue(text.trim());
  const filter = toLdapFilter(`(&(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=posixGroup))(cn=*${value}*))`);
  const client = await serviceClient(c);
  try {
    // No server-side size limit: a directory answers "size limit exceeded" as an error, not a page.
    const entries = await search(client, c.groupBase, { scope: "sub", filter, attributes: ["cn", "description"] }, "group lookup");
    return entries
      .slice(0, 500)
      .map((e) => ({ dn: e.dn, name: first(e, "cn") ?? e.dn, ...(first(e, "description") ? { description: first(e, "description")! } : {}) }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.dn.localeCompare(b.dn))
      .slice(0, MAX_GROUP_MATCHES);
  } finally {
    await release(client);
  }
}

function toUser(c: LdapConfig, entry: Entry, groups: string[], typed?: string): LdapUser {
  const username = first(entry, c.usernameAttribute ?? "uid") ?? typed ?? entry.dn;
  const mail = first(entry, "mail");
  const entryUUID = first(entry, "entryUUID");
  return {
    dn: entry.dn,
    username,
    displayName: first(entry, "displayName") ?? first(entry, "cn") ?? username,
    ...(mail ? { mail } : {}),
    groups,
    ...(entryUUID ? { entryUUID } : {}),
  };
}

/** True when the password is right; false when the directory refuses it; throws when unreachable. */
async function passwordMatches(c: LdapConfig, dn: string, password: string): Promise<boolean> {
  const client = await connect(c);
  try {
    await timed(() => client.bind(dn, password));
    return true;
  } catch (e) {
    if (e instanceof ResultCodeError) {
      // 49 is the normal wrong password; others (locked, unwilling, inappropriate auth) are
      // still "not signed in", but worth a line in the log.
      if (e.code !== INVALID_CREDENTIALS) logger.info("ldap user bind refused", { dn, code: e.code });
      return false;
    }
    throw unavailable("user bind failed", e);
  } finally {
    await release(client);
  }
}

/**
 * Checks a username and password against the directory. Returns the user (keyed by DN, with
 * entryUUID and group DNs) or null for any refusal — unknown user, ambiguous match, wrong or
 * unacceptable password — so callers answer them alike. Throws UpstreamError
 * SERVICE_UNAVAILABLE when the directory cannot be reached or is misconfigured.
 * Called by the sign-in flow only; no side effects besides the directory's own bind log.
 */
export async function authenticateLdap(config: LdapConfig, username: string, password: string): Promise<LdapUser | null> {
  // Before anything touches the network (docs/security.md §8–10).
  if (!acceptableUsername(username) || !acceptablePassword(password)) return null;
  const c = parseConfig(config);
  const filter = toLdapFilter(buildLdapFilter(c.userFilter, { username }));

  const service = await serviceClient(c);
  try {
    const entries = await search(service, c.userBase, { scope: "sub", filter, attributes: userAttributes(c), sizeLimit: 2 }, "user search");
    if (entries.length !== 1) {
      if (entries.length > 1) logger.warn("ldap user filter matched more than one entry; refusing", { count: entries.length });
      // The same work as a wrong password — a second TLS connection and a bind — so the time
      // to answer does not tell an unknown user from a known one (docs/security.md
      // §7). The decoy DN is ours and holds no entry; the answer is ignored.
      await passwordMatches(c, decoyDn(c), password).catch(() => false);
      // …and reads one entry back, as the known-user path's search did.
      await search(service, c.userBase, { scope: "base", attributes: userAttributes(c), sizeLimit: 1 }, "decoy read").catch(() => []);
      return null;
    }
    const entry = entries[0]!;
    if (!(await passwordMatches(c, entry.dn, password))) return null;
    return toUser(c, entry, await readGroups(service, c, entry.dn), username);
  } finally {
    await release(service);
  }
}

/** A DN under the user base that no entry has: the target of the unknown-user decoy bind. */
const DECOY_RDN = `cn=switchyard-no-such-user-${randomBytes(8).toString("hex")}`;
export function decoyDn(c: Pick<LdapConfig, "userBase">): string {
  return `${DECOY_RDN},${c.userBase}`;
}

const ENTRY_UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Re-reads a known user by entryUUID, wherever the entry now lives under the user base
 * (renames are followed). Null when no entry has that entryUUID or it no longer matches the
 * user filter; throws SERVICE_UNAVAILABLE when the directory cannot be reached.
 */
export async function lookupLdapUserByEntryUuid(config: LdapConfig, entryUuid: string): Promise<LdapUser | null> {
  if (typeof entryUuid !== "string" || !ENTRY_UUID.test(entryUuid)) return null;
  const c = parseConfig(config);
  const anyUser = c.userFilter.replace(/\{username\}/g, "*");
  const filter = toLdapFilter(`(&${anyUser}(entryUUID=${escapeFilterValue(entryUuid.toLowerCase())}))`);
  const service = await serviceClient(c);
  try {
    const entries = await search(service, c.userBase, { scope: "sub", filter, attributes: userAttributes(c), sizeLimit: 2 }, "user lookup");
    if (entries.length !== 1) return null;
    const entry = entries[0]!;
    return toUser(c, entry, await readGroups(service, c, entry.dn));
  } finally {
    await release(service);
  }
}

function normalizeDn(dn: string): string {
  return dn.replace(/\s*([,=+])\s*/g, "$1").toLowerCase();
}

/**
 * Re-reads a known user by DN with the service account, for the periodic role refresh: the
 * current groups, or null when the entry is gone, has left the user base, or no longer
 * matches the user filter (e.g. a disabled-account clause). Throws SERVICE_UNAVAILABLE when
 * the directory cannot be reached. No side effects.
 */
export async function lookupLdapUser(config: LdapConfig, dn: string): Promise<LdapUser | null> {
  if (typeof dn !== "string" || dn.length === 0 || dn.length > MAX_DN_LENGTH || dn.includes("\u0000")) return null;
  const c = parseConfig(config);
  if (!normalizeDn(dn).endsWith("," + normalizeDn(c.userBase))) return null;
  // The user filter with "any username": the entry must still satisfy the rest of it. The
  // `*` is ours (a presence match), never input.
  const filter = toLdapFilter(c.userFilter.replace(/\{username\}/g, "*"));

  const service = await serviceClient(c);
  try {
    const entries = await search(service, dn, { scope: "base", filter, attributes: userAttributes(c), sizeLimit: 2 }, "user lookup");
    if (entries.length !== 1) return null;
    const entry = entries[0]!;
    return toUser(c, entry, await readGroups(service, c, entry.dn));
  } finally {
    await release(service);
  }
}
