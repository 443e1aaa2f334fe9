/**
 * Provisioning environments from YAML at start: created, then updated on the next start,
 * credentials read from files, every change audited as the provisioner — on real PostgreSQL,
 * checked against the real Nacos.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { setProcessDatabase } from "@/lib/database";
import { testEnvironment } from "@/lib/environments/connect";
import { getEnvironment } from "@/lib/environments/environments";
import { provisionEnvironments } from "@/lib/environments/provision";
import { actorWithRole } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
import { snapshotChanges, snapshotDatabase } from "@/lib/testing/db-snapshot";
import { startFaultProxy } from "@/lib/testing/fault-proxy";
import { peerEnv } from "@/lib/testing/peers";

let pg: PostgresFixture;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-prov-"));

function writeYaml(site: string): string {
  fs.writeFileSync(path.join(dir, "nacos.pw"), peerEnv("nacos", "NACOS_PASSWORD") + "\n", { mode: 0o600 });
  const file = path.join(dir, "environments.yaml");
  fs.writeFileSync(
    file,
    `environments:
  - name: prod-hz-j
    labels: { tier: prod, site: ${site}, zone: j }
    registry:
      kind: nacos
      url: ${peerEnv("nacos", "NACOS_URL")}
      username: ${peerEnv("nacos", "NACOS_USERNAME")}
      passwordFile: nacos.pw
`,
  );
  return file;
}

beforeAll(async () => {
  process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS = "true";
  pg = await freshPostgres("provision");
  setProcessDatabase(pg.handle);
});
afterAll(async () => {
  delete process.env.SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS;
  fs.rmSync(dir, { recursive: true, force: true });
  await pg?.drop();
});

describe("provisioning from YAML", () => {
  it("creates, then updates on the next start; the password comes from a file and works", async () => {
    expect(await provisionEnvironments(writeYaml("hz"))).toEqual([{ name: "prod-hz-j", result: "created" }]);
    expect(await provisionEnvironments(writeYaml("sh"))).toEqual([{ name: "prod-hz-j", result: "updated" }]);
    const admin = actorWithRole("admin");
    expect(await getEnvironment(admin, "prod-hz-j")).toMatchObject({ labels: { site: "sh" }, version: 2, credentials: ["nacosPassword"] });
    expect((await testEnvironment(admin, "prod-hz-j"))[0]).toMatchObject({ system: "nacos", ok: true });
    const rows = await pg.asAdmin((c) => c.query("SELECT action, outcome, actor_name, row_to_json(a)::text AS t FROM audit_events a WHERE phase = 'outcome' ORDER BY id"));
    expect(rows.rows.map((r: { action: string; actor_name: string }) => [r.action, r.actor_name])).toEqual([
      ["environment.create", "provisioner"],
      ["environment.update", "provisioner"],
    ]);
    expect(rows.rows.map((r: { t: string }) => r.t).join()).not.toContain(peerEnv("nacos", "NACOS_PASSWORD"));
  });

  it("a bad file names the field and changes nothing", async () => {
    // The bad entry points at Nacos through a counting proxy: nothing may reach it.
    const nacos = new URL(peerEnv("nacos", "NACOS_URL"));
    const proxy = await startFaultProxy({ host: nacos.hostname, port: Number(nacos.port) }, "pass");
    try {
      const entry = (name: string) => `environments:
  - name: ${name}
    labels: { tier: prod, site: hz }
    registry:
      kind: nacos
      url: ${proxy.url()}${nacos.pathname}
      username: ${peerEnv("nacos", "NACOS_USERNAME")}
      passwordFile: nacos.pw
`;
      const file = path.join(dir, "bad.yaml");
      fs.writeFileSync(file, entry("Bad_Name"));
      const before = await snapshotDatabase(pg);

      const err = await provisionEnvironments(file).then(
        () => null,
        (e: unknown) => e,
      );
      // Refused naming exactly the one bad field.
      expect(err).toBeInstanceOf(ZodError);
      expect((err as ZodError).issues.map((i) => i.path)).toEqual([["name"]]);
      // Every table — environments, users, sessions, tokens, bindings, the audit log and its
      // head — holds exactly the rows it held before, and no connection reached Nacos.
      expect(snapshotChanges(before, await snapshotDatabase(pg))).toEqual({});
      expect(proxy.forwarded).toBe(0);

      // Control: the same entry with a valid name is created, and testing it does reach Nacos
      // through this proxy — so a zero above is not a proxy that counts nothing.
      fs.writeFileSync(file, entry("prod-hz-ok"));
      expect(await provisionEnvironments(file)).toEqual([{ name: "prod-hz-ok", result: "created" }]);
      expect(Object.keys(snapshotChanges(before, await snapshotDatabase(pg)))).toEqual(["audit_chain_head", "audit_events", "environments"]);
      expect((await testEnvironment(actorWithRole("admin"), "prod-hz-ok"))[0]).toMatchObject({ system: "nacos", ok: true });
      expect(proxy.forwarded).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });
});
