import { describe, expect, it } from "vitest";
import { en, negotiateLocale, translate, zhCN } from "@/lib/i18n/messages";

describe("messages", () => {
  it("every key is translated, non-empty, with the same placeholders", () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(zhCN[key], key).toBeTruthy();
      const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(vars(zhCN[key]), key).toEqual(vars(en[key]));
    }
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });
  it("interpolates", () => {
    expect(translate("zh-CN", "overview.welcome", { name: "alice" })).toBe("欢迎，alice。");
  });
  it("negotiates from Accept-Language", () => {
    expect(negotiateLocale("zh-CN,zh;q=0.9,en;q=0.8")).toBe("zh-CN");
    expect(negotiateLocale("en-US")).toBe("en");
    expect(negotiateLocale(null)).toBe("en");
  });
});
