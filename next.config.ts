import type { NextConfig } from "next";

// Security headers that hold for every response. The nonce-based CSP is set per request in
// proxy.ts, because a nonce cannot be static.
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The offline release (scripts/release.sh) packs .next/standalone: the server files and only
  // the node_modules they use. `node scripts/server.mts` keeps serving .next as before.
  output: "standalone",
  // Never into the release: test data and secrets of the local stack, reports, sources of tests.
  outputFileTracingExcludes: { "*": [".stack/**", ".data/**", "dist/**", "test-results/**", "playwright-report*/**", ".git/**", "e2e/**", "bench/**", "deploy/**"] },
  reactStrictMode: true,
  // PGlite ships WebAssembly and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "ldapts", "node-zookeeper-client", "prom-client"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
