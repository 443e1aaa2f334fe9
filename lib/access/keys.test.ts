/**
 * Issue #11: a group binding accepted any text ("platform-ops"), which never matches the DNs
 * LDAP reports, so the binding silently granted nothing. Now a group subject must be a DN.
 */
import { describe, expect, it } from "vitest";
import { CreateBindingInput } from "@/lib/access/create-binding";
import { looksLikeDn } from "@/lib/access/keys";

describe("looksLikeDn", () => {
  it.each(["cn=platform-ops,ou=groups,dc=switchyard,dc=test", "CN=Ops Team,OU=Groups,DC=corp,DC=example", "cn=a\\,b,ou=g", "uid=x"])("accepts %s", (dn) => {
    expect(looksLikeDn(dn)).toBe(true);
  });
  it.each(["platform-ops", "", "cn=", "=x,ou=g", "cn=ops,,dc=x", "ops team"])("refuses %j", (text) => {
    expect(looksLikeDn(text)).toBe(false);
  });
});

describe("CreateBindingInput", () => {
  it("refuses a group subject that is not a DN, naming the field", () => {
    const r = CreateBindingInput.safeParse({ subjectKind: "group", subject: "platform-ops", role: "viewer" });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join("."))).toEqual(["subject"]);
    expect(CreateBindingInput.safeParse({ subjectKind: "group", subject: "cn=platform-ops,ou=groups,dc=switchyard,dc=test", role: "viewer" }).success).toBe(true);
    // A user subject is a user id, checked against the accounts when the binding is created.
    expect(CreateBindingInput.safeParse({ subjectKind: "user", subject: "0b9a4c3e-user-id", role: "viewer" }).success).toBe(true);
  });
});
