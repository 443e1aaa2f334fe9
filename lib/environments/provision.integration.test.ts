/**
 * Provisioning environments from YAML at start: created, then updated on the next start,
 * credentials read from files, every change audited as the provisioner — on real PostgreSQL,
 * checked against the real Nacos.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/db";
import { testEnvironment } from "@/lib/environments/connect";
import { getEnvironment } from "@/lib/environments/environments";
import { provisionEnvironments } from "@/lib/environments/provision";
import { actorWithRole } from "@/lib/testing/actors";
import { freshPostgres, type PostgresFixture } from "@/lib/testing/db";
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
    const file = path.join(dir, "bad.yaml");
    fs.writeFileSync(file, "environments:\n  - name: Bad_Name\n");
    await expect(provisionEnvironments(file)).rejects.toThrow(/name/);
  });
});
