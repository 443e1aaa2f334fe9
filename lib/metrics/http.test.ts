import { describe, expect, it } from "vitest";
import { routeTemplate } from "@/lib/metrics/http";

describe("routeTemplate", () => {
  it("puts param names back in place of their values", () => {
    expect(routeTemplate("/api/v1/environments/prod/services", { name: "prod" })).toBe("/api/v1/environments/[name]/services");
    expect(routeTemplate("/api/v1/access/users/u1/tokens/t9", { id: "u1", tokenId: "t9" })).toBe("/api/v1/access/users/[id]/tokens/[tokenId]");
  });
  it("matches encoded segments and collapses catch-alls", () => {
    expect(routeTemplate("/api/v1/environments/a%20b", { name: "a b" })).toBe("/api/v1/environments/[name]");
    expect(routeTemplate("/api/v1/x/a/b/c", { path: ["a", "b", "c"] })).toBe("/api/v1/x/[...path]");
  });
  it("keeps paths without params as they are", () => {
    expect(routeTemplate("/api/v1/me", undefined)).toBe("/api/v1/me");
    expect(routeTemplate("/api/v1/me", {})).toBe("/api/v1/me");
  });
});
