import { AndFilter, BerWriter, EqualityFilter, PresenceFilter, SubstringFilter, type Filter } from "ldapts";
import { describe, expect, it } from "vitest";
import { buildLdapFilter, escapeFilterValue, toLdapFilter } from "@/lib/auth/ldap";

function ber(f: Filter): Buffer {
  const w = new BerWriter();
  f.write(w);
  return w.buffer;
}

describe("escapeFilterValue (RFC 4515)", () => {
  it.each([
    ["alice", "alice"],
    ["", ""],
    ["*", "\\2a"],
    ["a*", "a\\2a"],
    ["(", "\\28"],
    [")", "\\29"],
    ["\\", "\\5c"],
    ["\u0000", "\\00"],
    ["alice)(uid=*", "alice\\29\\28uid=\\2a"],
    ["x)(|(objectClass=*", "x\\29\\28|\\28objectClass=\\2a"],
    ["*)(&", "\\2a\\29\\28&"],
    ["a\\2a", "a\\5c2a"],
    ["alice,ou=admins", "alice,ou=admins"],
    ["o'brien & co = ok|!~<>", "o'brien & co = ok|!~<>"],
    ["tab\there", "tab\\09here"],
    ["line\nfeed\r", "line\\0afeed\\0d"],
    ["del\u007f", "del\\7f"],
  ])("%j → %j", (input, expected) => {
    expect(escapeFilterValue(input)).toBe(expected);
  });

  it("escapes every byte of non-ASCII characters as UTF-8", () => {
    expect(escapeFilterValue("josé")).toBe("jos\\c3\\a9");
    expect(escapeFilterValue("Müller")).toBe("M\\c3\\bcller");
    expect(escapeFilterValue("李")).toBe("\\e6\\9d\\8e");
    expect(escapeFilterValue("🙂")).toBe("\\f0\\9f\\99\\82");
    expect(escapeFilterValue("\u00a0")).toBe("\\c2\\a0");
  });

  it("leaves no filter metacharacter unescaped, whatever the input", () => {
    let all = "";
    for (let i = 0; i < 0x250; i++) all += String.fromCharCode(i);
    const out = escapeFilterValue(all);
    expect(out.replace(/\\[0-9a-f]{2}/g, "")).not.toMatch(/[()*\\\u0000-\u001f\u007f-\uffff]/);
    // Every output char is printable ASCII.
    expect(out).toMatch(/^[\u0020-\u007e]*$/);
  });

  it("is not ldapts' escape: lowercase hex, controls escaped", () => {
    expect(escapeFilterValue("*\u0001")).toBe("\\2a\\01");
  });
});

describe("buildLdapFilter", () => {
  const template = "(&(objectClass=inetOrgPerson)(uid={username}))";

  it("fills placeholders with escaped values only", () => {
    expect(buildLdapFilter(template, { username: "alice" })).toBe("(&(objectClass=inetOrgPerson)(uid=alice))");
    expect(buildLdapFilter(template, { username: "*" })).toBe("(&(objectClass=inetOrgPerson)(uid=\\2a))");
    expect(buildLdapFilter(template, { username: "alice)(uid=*" })).toBe("(&(objectClass=inetOrgPerson)(uid=alice\\29\\28uid=\\2a))");
  });

  it("fills repeated placeholders", () => {
    expect(buildLdapFilter("(|(uid={u})(mail={u}))", { u: "a*" })).toBe("(|(uid=a\\2a)(mail=a\\2a))");
  });

  it("does not expand placeholders that appear in values", () => {
    expect(buildLdapFilter("(|(uid={a})(cn={b}))", { a: "{b}", b: "x" })).toBe("(|(uid={b})(cn=x))");
  });

  it("refuses unknown placeholders, including inherited names", () => {
    expect(() => buildLdapFilter("(uid={user})", { username: "a" })).toThrow(/unknown placeholder/);
    expect(() => buildLdapFilter("(uid={constructor})", {})).toThrow(/unknown placeholder/);
  });
});

describe("toLdapFilter", () => {
  const template = "(&(objectClass=inetOrgPerson)(uid={username}))";
  const uidOf = (f: Filter) => ((f as AndFilter).filters[1] as EqualityFilter).value;

  it.each(["*", "a*", "alice)(uid=*", "x)(|(objectClass=*", "\u0000", "\\", "(", "*)(&"])(
    "keeps %j one equality match on uid with the literal value",
    (username) => {
      const f = toLdapFilter(buildLdapFilter(template, { username }));
      expect(f).toBeInstanceOf(AndFilter);
      expect((f as AndFilter).filters).toHaveLength(2);
      expect((f as AndFilter).filters[1]).toBeInstanceOf(EqualityFilter);
      expect(uidOf(f)).toBe(username);
    },
  );

  it("sends non-ASCII values as their UTF-8 bytes, once", () => {
    const f = toLdapFilter(buildLdapFilter(template, { username: "josé李" }));
    expect(uidOf(f)).toBe("josé李");
    const wire = ber(f);
    expect(wire.includes(Buffer.from("josé李", "utf8"))).toBe(true);
    // Not double-encoded (é as C3 83 C2 A9).
    expect(wire.includes(Buffer.from([0xc3, 0x83]))).toBe(false);
  });

  it("accepts non-ASCII literals in the template itself", () => {
    const f = toLdapFilter(buildLdapFilter("(&(ou=Küche)(uid={username}))", { username: "a" }));
    expect(((f as AndFilter).filters[0] as EqualityFilter).value).toBe("Küche");
  });

  it("keeps template wildcards and presence matches", () => {
    expect(toLdapFilter("(uid=*)")).toBeInstanceOf(PresenceFilter);
    const sub = toLdapFilter(`(cn=${escapeFilterValue("é*")}*)`) as SubstringFilter;
    expect(sub).toBeInstanceOf(SubstringFilter);
    expect(sub.initial).toBe("é*");
  });

  it("refuses malformed filters", () => {
    expect(() => toLdapFilter("(uid=a")).toThrow();
    expect(() => toLdapFilter("(uid=a\\zz)")).toThrow();
  });
});
