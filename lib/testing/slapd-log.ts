/**
 * Reads, completely, what one of the stack's slapd instances logged between two points.
 *
 * slapd (`-d stats`, scripts/stack/ldap.sh) logs a request when its worker thread takes it up,
 * not when the client sends it, so the file's size right after a call is not a complete
 * record of that call, and no fixed delay makes it one. Instead each end of a window is a
 * marker: a search only this helper makes, as the read-only service account, with the filter
 * `(uid=sy-marker-<random uuid>)` on the same slapd. Every request the code under test made
 * was answered before the marker was sent, so it was logged before it: once the marker's line
 * is in the file (polled, bounded), everything before it is complete. The markers' own
 * connections are cut out of the window, so the service account's marker bind is never
 * mistaken for one the code under test made.
 *
 * Other engineers may use the same slapd at the same time; their lines can appear in a window.
 * That can only add lines, never hide one the code under test caused.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { Client } from "ldapts";
import { peerEnv } from "./peers";

export interface SlapdInstance {
  /** ldap:// URL (StartTLS) of the instance. */
  url: string;
  /** Its stats log. */
  log: string;
}

/** The default instance (`main`). */
export function mainSlapd(): SlapdInstance {
  return { url: peerEnv("ldap", "LDAP_URL"), log: peerEnv("ldap", "LDAP_LOG") };
}

/** The instance with `allow bind_anon_dn bind_anon_cred` (`anon`). */
export function anonSlapd(): SlapdInstance {
  return { url: peerEnv("ldap", "LDAP_ANON_URL"), log: peerEnv("ldap", "LDAP_ANON_LOG") };
}

/** How long a marker may take to reach the log before the read fails (a guard, not a measurement). */
const MARKER_WAIT_MS = 15_000;
const POLL_MS = 20;

const CONN_RE = /\bconn=(\d+)\s/;

/** The BIND DNs in a stretch of log text, in order. */
export function bindDns(text: string): string[] {
  return [...text.matchAll(/BIND dn="([^"]*)"/g)].map((m) => m[1]!);
}

function fileSize(file: string): number {
  return fs.statSync(file).size;
}

function readFrom(file: string, offset: number): Buffer {
  const fd = fs.openSync(file, "r");
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.max(0, size - offset));
    const n = fs.readSync(fd, buf, 0, buf.length, offset);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes the marker search on `instance` as the service account; returns the marker value. */
async function sendMarker(instance: SlapdInstance): Promise<string> {
  const value = `sy-marker-${randomUUID()}`;
  const c = new Client({ url: instance.url, connectTimeout: 5_000, timeout: 5_000 });
  try {
    await c.startTLS({ ca: fs.readFileSync(peerEnv("ldap", "LDAP_CA"), "utf8"), rejectUnauthorized: true, host: new URL(instance.url).hostname });
    await c.bind(peerEnv("ldap", "LDAP_BIND_DN"), peerEnv("ldap", "LDAP_BIND_PASSWORD"));
    const { searchEntries } = await c.search(peerEnv("ldap", "LDAP_USER_BASE"), { scope: "sub", filter: `(uid=${value})`, attributes: ["1.1"] });
    if (searchEntries.length !== 0) throw new Error(`slapd-log: marker ${value} matched an entry`);
  } finally {
    await c.unbind().catch(() => undefined);
  }
  return value;
}

interface Found {
  /** Complete lines logged from `offset` up to, not including, the marker's line. */
  before: string[];
  /** Byte offset just past the marker's line. */
  end: number;
  /** slapd's connection number of the marker's connection. */
  conn: string;
}

/** Polls `file` from `offset` until the marker's search line is there. */
async function awaitMarker(instance: SlapdInstance, offset: number, value: string): Promise<Found> {
  const needle = `filter="(uid=${value})"`;
  const deadline = Date.now() + MARKER_WAIT_MS;
  for (;;) {
    const buf = readFrom(instance.log, offset);
    const text = buf.toString("utf8");
    const at = text.indexOf(needle);
    if (at >= 0) {
      const lineStart = text.lastIndexOf("\n", at) + 1;
      const nl = text.indexOf("\n", at);
      const lineEnd = nl < 0 ? text.length : nl + 1;
      const conn = CONN_RE.exec(text.slice(lineStart, lineEnd))?.[1];
      if (!conn) throw new Error(`slapd-log: no conn= on the marker line in ${instance.log}: ${text.slice(lineStart, lineEnd)}`);
      return {
        before: text.slice(0, lineStart).split("\n").filter((l) => l !== ""),
        end: offset + Buffer.byteLength(text.slice(0, lineEnd), "utf8"),
        conn,
      };
    }
    if (Date.now() > deadline) {
      throw new Error(`slapd-log: marker ${value} did not appear in ${instance.log} within ${MARKER_WAIT_MS} ms (is slapd logging stats there?)`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export interface SlapdLogWindow {
  /** Starts a window: everything logged so far (up to a fresh marker) is left out. */
  mark(): Promise<void>;
  /** Ends the window at a fresh marker; returns every line logged since `mark()`, markers' connections cut out. */
  since(): Promise<string>;
}

export function slapdLog(instance: SlapdInstance): SlapdLogWindow {
  let offset: number | null = null;
  let startConn: string | null = null;
  return {
    async mark() {
      const from = fileSize(instance.log);
      const found = await awaitMarker(instance, from, await sendMarker(instance));
      offset = found.end;
      startConn = found.conn;
    },
    async since() {
      if (offset === null) throw new Error("slapd-log: since() before mark()");
      const found = await awaitMarker(instance, offset, await sendMarker(instance));
      const markerConns = new Set([startConn, found.conn]);
      const lines = found.before.filter((l) => !markerConns.has(CONN_RE.exec(l)?.[1] ?? null));
      return lines.length ? `${lines.join("\n")}\n` : "";
    },
  };
}
