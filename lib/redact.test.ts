import { describe, expect, it } from "vitest";
import { REDACTED, redactAuditValue, redactContent, redactData, redactInlineSecrets, redactSecrets, redactSecretsInText } from "@/lib/redact";

describe("redactSecrets", () => {
  it("redacts secret-looking keys at any depth, keeps the rest", () => {
    const out = redactSecrets({ user: "alice", password: "S3cr3t", nested: { apiKey: "k", token: "t", list: [{ clientSecret: "c" }] }, count: 3 });
    expect(out).toEqual({ user: "alice", password: REDACTED, nested: { apiKey: REDACTED, token: REDACTED, list: [{ clientSecret: REDACTED }] }, count: 3 });
  });
  it("does not touch the input and survives cycles", () => {
    const a: Record<string, unknown> = { password: "x" };
    a.self = a;
    const out = redactSecrets(a) as Record<string, unknown>;
    expect(a.password).toBe("x");
    expect(out.self).toBe("[cycle]");
  });
});

describe("redactSecretsInText", () => {
  it("redacts properties and YAML secret lines (docs/security.md §21)", () => {
    const text = "db.url=jdbc:x\ndb.password=S3cr3t\nspring:\n  datasource:\n    password: S3cr3t\n  api-key: abc\nname: ok";
    const out = redactSecretsInText(text);
    expect(out).not.toContain("S3cr3t");
    expect(out).not.toContain("abc");
    expect(out).toContain("db.url=jdbc:x");
    expect(out).toContain("name: ok");
  });
});

describe("redactInlineSecrets", () => {
  it("redacts key=value and key: value inside free text", () => {
    const out = redactInlineSecrets('connect failed user=nacos password=hunter2 at x; {"accessToken":"eyJ.abc"} db.password: "S3"');
    expect(out).not.toMatch(/hunter2|eyJ\.abc|S3"/);
    expect(out).toContain("user=nacos");
  });
});

/*
 * Issue #8 item 11, "Redaction gaps" (docs/security.md §21): XML, whitespace-separated properties
 * and base64 data reached audit rows unredacted. Each case names the secret text it must not
 * let through and the non-secret structure it must keep, so a diff of two redacted versions
 * still shows what changed.
 */
describe("redactSecretsInText: properties lines separated by whitespace", () => {
  it("redacts `db.password S3cr3t` (java.util.Properties allows a whitespace separator)", () => {
    const out = redactSecretsInText("db.url jdbc:mysql://db/app\ndb.password S3cr3t\nDB_TOKEN\tS3cr3t-2\n");
    expect(out).not.toMatch(/S3cr3t/);
    expect(out).toBe("db.url jdbc:mysql://db/app\ndb.password [redacted]\nDB_TOKEN\t[redacted]\n");
  });
  it("leaves prose alone: a plain word followed by more words is not a properties line", () => {
    expect(redactSecretsInText("password reset requested for alice")).toBe("password reset requested for alice");
  });
  it("drops the continuation lines of a redacted value", () => {
    const out = redactSecretsInText("db.password=hunter\\\n    two\nnext=1");
    expect(out).not.toMatch(/hunter|two/);
    expect(out).toContain("next=1");
  });
  it("redacts the indented block under a secret YAML key when the document does not parse", () => {
    const out = redactSecretsInText("tls:\n  private_key: |\n    -----BEGIN KEY-----\n    MIIEv\n  port: 1\n bad: [");
    expect(out).not.toMatch(/BEGIN KEY|MIIEv/);
    expect(out).toContain("port: 1");
  });
});

describe("redactInlineSecrets: linear time", () => {
  // No wall-clock threshold: the function is compared with itself on the same machine. One
  // input 8× as long costs what 8 short ones cost when the scan is linear; the regex it
  // replaced backtracked quadratically on such runs, so the long one cost about 8× more again.
  it("a long run of dotted words is scanned once: one input 8× as long costs no more than 8 short ones", () => {
    const text = (pairs: number) => `${"a.".repeat(pairs)} password=S3cr3t`;
    const short = text(2_500);
    const long = text(20_000);
    expect(redactInlineSecrets(short)).toMatch(/ password=\[redacted\]$/);
    expect(redactInlineSecrets(long)).toMatch(/ password=\[redacted\]$/);
    const eightShort = () => {
      for (let i = 0; i < 8; i++) redactInlineSecrets(short);
    };
    const oneLong = () => void redactInlineSecrets(long);
    const time = (fn: () => void, reps: number): number => {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) fn();
      return performance.now() - t0;
    };
    time(eightShort, 3); // warm-up (JIT)
    time(oneLong, 3);
    // Enough repetitions that each sample is long against the timer's resolution and noise.
    let reps = 1;
    while (time(eightShort, reps) < 10) reps *= 2;
    const shortRuns: number[] = [];
    const longRuns: number[] = [];
    for (let i = 0; i < 9; i++) {
      // Interleaved, so a change in the machine's load hits both alike.
      shortRuns.push(time(eightShort, reps));
      longRuns.push(time(oneLong, reps));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    // Linear: about 1. Quadratic: about 8. The bound sits between them (√8 ≈ 2.8).
    expect(median(longRuns) / median(shortRuns)).toBeLessThan(2.8);
  }, 60_000);
});

describe("redactContent: properties", () => {
  it("parses java.util.Properties: =, :, whitespace, continuation, escaped keys, comments", () => {
    const text = [
      "# datasource",
      "db.url = jdbc:mysql://db/app",
      "db.password S3cr3t-a",
      "db.user:app",
      "api.token = S3cr3t-b\\",
      "   S3cr3t-c",
      "db.pass\\u0077ord=S3cr3t-d",
      "password S3cr3t-e",
      "#old.password=S3cr3t-f",
      "empty.password=",
      "",
    ].join("\n");
    const out = redactContent(text, "properties");
    expect(out).not.toMatch(/S3cr3t/);
    expect(out).toBe(
      [
        "# datasource",
        "db.url = jdbc:mysql://db/app",
        "db.password [redacted]",
        "db.user:app",
        "api.token = [redacted]",
        "db.pass\\u0077ord=[redacted]",
        "password [redacted]",
        "#old.password=[redacted]",
        "empty.password=",
        "",
      ].join("\n"),
    );
  });
  it("redacts secrets inside non-secret values (a JDBC URL with a password parameter)", () => {
    const out = redactContent("db.url=jdbc:mysql://db/app?user=app&password=S3cr3t&ssl=true", "properties");
    expect(out).toBe("db.url=jdbc:mysql://db/app?user=app&password=[redacted]&ssl=true");
  });
});

describe("redactContent: xml", () => {
  it("redacts the text of secret-named elements and keeps the rest of the document", () => {
    const xml = '<?xml version="1.0"?>\n<config>\n  <url>jdbc:x</url>\n  <password>S3cr3t</password>\n  <db:api-key xmlns:db="urn:x">S3cr3t</db:api-key>\n  <token><![CDATA[S3cr3t]]></token>\n  <empty-secret/>\n</config>\n';
    const out = redactContent(xml, "xml");
    expect(out).not.toMatch(/S3cr3t/);
    expect(out).toBe('<?xml version="1.0"?>\n<config>\n  <url>jdbc:x</url>\n  <password>[redacted]</password>\n  <db:api-key xmlns:db="urn:x">[redacted]</db:api-key>\n  <token><![CDATA[[redacted]]]></token>\n  <empty-secret/>\n</config>\n');
  });
  it("redacts secret-named attributes and the value of name/key-named entries", () => {
    const xml = [
      "<beans>",
      '  <property name="url" value="jdbc:x"/>',
      '  <property name="password" value="S3cr3t-a"/>',
      "  <entry key=\"db.password\">S3cr3t-b</entry>",
      "  <entry key='db.user'>app</entry>",
      '  <datasource user="app" password="S3cr3t-c" secret-ref=\'S3cr3t-d\'/>',
      '  <property name="pass&#119;ord"><value>S3cr3t-e</value></property>',
      "  <property><name>fs.s3a.secret.key</name><value>S3cr3t-f</value></property>",
      "  <property><name>fs.s3a.endpoint</name><value>s3.local</value></property>",
      "</beans>",
    ].join("\n");
    const out = redactContent(xml, "xml");
    expect(out).not.toMatch(/S3cr3t/);
    expect(out).toContain('<property name="url" value="jdbc:x"/>');
    expect(out).toContain('<property name="password" value="[redacted]"/>');
    expect(out).toContain('<entry key="db.password">[redacted]</entry>');
    expect(out).toContain("<entry key='db.user'>app</entry>");
    expect(out).toContain('<datasource user="app" password="[redacted]" secret-ref=\'[redacted]\'/>');
    expect(out).toContain("<name>fs.s3a.secret.key</name><value>[redacted]</value>");
    expect(out).toContain("<name>fs.s3a.endpoint</name><value>s3.local</value>");
  });
  it("redacts a secret element cut off by truncation, and properties inside element text", () => {
    expect(redactContent("<config><password>S3cr3t-and-more", "xml")).toBe("<config><password>[redacted]");
    expect(redactContent("<config>\ndb.password S3cr3t\n</config>", "xml")).toBe("<config>\ndb.password [redacted]\n</config>");
  });
  it("html: void elements do not swallow their siblings", () => {
    const out = redactContent('<form><input name="api_key" value="S3cr3t"><p>keep me</p></form>', "html");
    expect(out).toBe('<form><input name="api_key" value="[redacted]"><p>keep me</p></form>');
  });
});

describe("redactContent: json and yaml keep their layout", () => {
  it("json: only secret values change; numbers, order and whitespace are kept", () => {
    const json = '{\n  "id": 12345678901234567890,\n  "password": "S3cr3t",\n  "credentials": {"user": "a", "pass": "S3cr3t"},\n  "empty_token": "",\n  "note": "db.password S3cr3t"\n}';
    const out = redactContent(json, "json");
    expect(out).not.toMatch(/S3cr3t/);
    expect(out).toBe('{\n  "id": 12345678901234567890,\n  "password": "[redacted]",\n  "credentials": "[redacted]",\n  "empty_token": "",\n  "note": "db.password [redacted]"\n}');
  });
  it("yaml: scalars, block scalars, sequences and flow maps under secret keys; comments kept", () => {
    const yaml = "# app\nspring:\n  datasource:\n    url: jdbc:x   # primary\n    password: S3cr3t-a\n  tls:\n    private_key: |\n      S3cr3t-b\n      S3cr3t-c\n    tokens:\n      - S3cr3t-d\n  flow: {user: app, secret: S3cr3t-e}\n  empty_secret:\n---\nname: ok\n";
    const out = redactContent(yaml, "yaml");
    expect(out).not.toMatch(/S3cr3t/);
    expect(out).toBe('# app\nspring:\n  datasource:\n    url: jdbc:x   # primary\n    password: "[redacted]"\n  tls:\n    private_key: "[redacted]"\n    tokens:\n      "[redacted]"\n  flow: {user: app, secret: "[redacted]"}\n  empty_secret:\n---\nname: ok\n');
  });
  it("yaml: a properties file embedded in a ConfigMap value is redacted too", () => {
    const yaml = "data:\n  application.properties: |\n    db.url=jdbc:x\n    db.password S3cr3t\n  other: 1\n";
    const out = redactContent(yaml, "yaml");
    expect(out).toBe("data:\n  application.properties: |\n    db.url=jdbc:x\n    db.password [redacted]\n  other: 1\n");
  });
  it("toml: a multi-line string under a secret key", () => {
    const out = redactContent('title = "x"\n[db]\npassword = """\nS3cr3t\n"""\nport = 5432\n', "toml");
    expect(out).not.toMatch(/S3cr3t/);
    expect(out).toContain("port = 5432");
  });
});

describe("redactContent: unknown type is sniffed", () => {
  it.each([
    ["json", '{"db": {"password": "S3cr3t"}}', '"db"'],
    ["xml", "<config><password>S3cr3t</password></config>", "<config>"],
    ["yaml", "db:\n  password:\n    - S3cr3t\n", "db:"],
    ["properties", "db.url=jdbc:x\ndb.password S3cr3t", "db.url=jdbc:x"],
  ])("%s", (_kind, text, kept) => {
    for (const type of [undefined, null, "text", "unknown-type"]) {
      const out = redactContent(text, type);
      expect(out).not.toContain("S3cr3t");
      expect(out).toContain(kept);
    }
  });
  it("text without secrets is returned unchanged", () => {
    for (const t of ["hello: world", "<p>hi</p>", '{"a":1}', "a b c", "GET /x failed: timeout"]) expect(redactContent(t)).toBe(t);
  });
});

describe("redactData: znode bytes for the audit trail", () => {
  it("UTF-8 text: redacted text, marked only when something was redacted", () => {
    expect(redactData(Buffer.from("hello"))).toEqual({ data: "hello" });
    expect(redactData(Buffer.from("<password>S3cr3t</password>"))).toEqual({ data: "<password>[redacted]</password>", encoding: "utf8", redacted: true });
  });
  it("non-UTF-8 text (a Latin-1 properties file) is decoded and redacted instead of stored as base64", () => {
    const bytes = Buffer.from("# caf\u00e9\ndb.password S3cr3t\n", "latin1");
    expect(redactData(bytes)).toEqual({ data: "# caf\u00e9\ndb.password [redacted]\n", encoding: "latin1", redacted: true });
  });
  it("binary data keeps its base64 form but not the secret inside it (a Java-serialized string)", () => {
    const text = Buffer.from("db.password=S3cr3t", "latin1");
    const bytes = Buffer.concat([Buffer.from([0xac, 0xed, 0x00, 0x05, 0x74, 0x00, text.length]), text]);
    const out = redactData(bytes);
    expect(out.redacted).toBe(true);
    expect(Buffer.from(out.dataBase64!, "base64").toString("latin1")).not.toContain("S3cr3t");
    const plain = Buffer.from([0xff, 0xfe, 0x00, 0x01]);
    expect(redactData(plain)).toEqual({ dataBase64: plain.toString("base64") });
  });
  it("cuts after redacting, on a character boundary", () => {
    const out = redactData(Buffer.from("\u00e9".repeat(10)), { maxBytes: 5 });
    expect(out).toEqual({ data: "\u00e9\u00e9", truncated: true });
    expect(redactData(Buffer.from("x".repeat(10_000)), { maxBytes: 4_096 })).toEqual({ data: "x".repeat(4_096), truncated: true });
    // A secret value straddling the cut: the key's structure is seen whole, nothing of the value is kept.
    const straddle = redactData(Buffer.from(`${"a".repeat(4_090)}\npassword: |\n  S3cr3t-S3cr3t\n`), { maxBytes: 4_100 });
    expect(straddle.data).not.toMatch(/S3cr|3t/);
  });
});

describe("redactAuditValue: what the recorder stores", () => {
  it("decodes base64 fields, redacts the text and stores it marked instead of the base64", () => {
    const dataBase64 = Buffer.from("db.url jdbc:x\ndb.password S3cr3t\n").toString("base64");
    const out = redactAuditValue({ before: { path: "/app", version: 2, dataBase64 } });
    expect(out).toEqual({ before: { path: "/app", version: 2, data: "db.url jdbc:x\ndb.password [redacted]\n", encoding: "utf8", redacted: true } });
  });
  it("leaves base64 without secrets as it is", () => {
    const dataBase64 = Buffer.from([0xff, 0x00, 0x41]).toString("base64");
    expect(redactAuditValue({ dataBase64 })).toEqual({ dataBase64 });
  });
  it("redacts by key and by content, at any depth", () => {
    const out = redactAuditValue({ input: { content: "<password>S3cr3t</password>", type: "xml", token: "S3cr3t" }, list: ["db.password S3cr3t"] });
    expect(out).toEqual({ input: { content: "<password>[redacted]</password>", type: "xml", token: REDACTED }, list: ["db.password [redacted]"] });
  });
});
