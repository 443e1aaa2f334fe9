import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Layers point down only (docs/architecture.md, issue #10):
//   app/ → components/ → lib/<feature areas> → lib/ops → lib primitives → db/
// A module may import its own layer and the layers below it. Each rule names what a layer may
// not import; "@/x/**" covers every module under x. Tests and lib/testing set up their own
// fixtures across layers and are left out.
const APP = { group: ["@/app", "@/app/**"], message: "Nothing imports app/ (routing only): move the code to lib/ or components/." };
const COMPONENTS = { group: ["@/components", "@/components/**"], message: "Only app/ and components/ import components/." };
/** lib/<feature areas>: one module per operation or read, on top of lib/ops. */
const FEATURE_AREAS = ["@/lib/access/**", "@/lib/environments/**", "@/lib/profile/**", "@/lib/registry/**", "@/lib/session/**", "@/lib/gateway/**", "@/lib/mesh/**", "@/lib/kube-objects/**", "@/lib/overview/**", "@/lib/configs/**", "@/lib/api-docs/**"];
const FEATURES = { group: FEATURE_AREAS, message: "lib/<feature area> sits above lib/ops and the primitives: pass what is needed down, or move the code up." };
const OPS = { group: ["@/lib/ops", "@/lib/ops/**"], message: "lib/ops sits above the primitives (audit, auth, http, clients): move the shared code down." };
const LIB = { group: ["@/lib", "@/lib/**"], message: "db/ is the bottom layer: it imports no lib/ module." };
// Kept from before the layers: app/ and components/ never reach the database or a backend.
const DATABASE = { group: ["@/db", "@/db/**", "**/db/*", "@/lib/database"], message: "Only lib/** may import the database." };
const CLIENT = { group: ["**/client", "@/lib/*/client"], message: "Only lib/** may import a backend client." };
const PROTOCOLS = { group: ["pg", "@electric-sql/pglite", "ldapts", "node-zookeeper-client"], message: "Protocols are spoken in lib/** only." };
/**
 * Server code: components may import its view types (`import type`), never its values. The
 * client side of a feature area — lib/<area>/keys.ts and hooks.ts (TanStack Query) — is the
 * exception, and is itself held to the same rule below.
 */
const CLIENT_SIDE = ["lib/*/keys.ts", "lib/*/hooks.ts"];
const SERVER = {
  group: [...FEATURE_AREAS, "!@/lib/*/keys", "!@/lib/*/hooks", "!@/lib/gateway/model", "!@/lib/gateway/model/**", "!@/lib/mesh/model", "!@/lib/mesh/model/**", "!@/lib/kube-objects/model", "!@/lib/kube-objects/model/**", "@/lib/ops/**", "@/lib/audit/**", "!@/lib/audit/keys", "!@/lib/audit/hooks", "@/lib/auth/**", "@/lib/http/**", "@/lib/net/**", "@/lib/nacos/**", "@/lib/k8s/**", "@/lib/zookeeper/**", "@/lib/prometheus/**", "@/lib/i18n/server", "@/lib/secret", "@/lib/env", "@/lib/startup", "@/lib/health"],
  message: "Components run in the browser: import only types (`import type`) from server modules; read data through lib/api-client.",
  allowTypeImports: true,
};

/** A parent-relative import would slip past the rules above: import by the "@/" path. */
const PARENT = { group: ["../*", "../**"], message: "Import by the @/ path, so the layer rules can see which layer it is." };

const restrict = (...patterns) => ["error", { patterns: patterns[0] === SERVER ? patterns : [...patterns, PARENT] }];
const notTests = ["**/*.test.ts", "lib/testing/**"];

const layers = [
  { name: "layers/app", files: ["app/**/*.{ts,tsx}"], ignores: notTests, rules: { "no-restricted-imports": restrict(DATABASE, CLIENT, PROTOCOLS) } },
  {
    name: "layers/components",
    files: ["components/**/*.{ts,tsx}"],
    ignores: notTests,
    rules: { "no-restricted-imports": restrict(APP, DATABASE, CLIENT, PROTOCOLS), "@typescript-eslint/no-restricted-imports": restrict(SERVER) },
  },
  {
    name: "layers/lib-features",
    files: FEATURE_AREAS.map((g) => g.replace("@/", "") + "/*.{ts,tsx}"),
    ignores: notTests,
    rules: { "no-restricted-imports": restrict(APP, COMPONENTS) },
  },
  {
    name: "layers/lib-client-side",
    files: CLIENT_SIDE,
    rules: { "no-restricted-imports": restrict(APP, COMPONENTS, DATABASE, CLIENT, PROTOCOLS), "@typescript-eslint/no-restricted-imports": restrict(SERVER) },
  },
  { name: "layers/lib-ops", files: ["lib/ops/**/*.{ts,tsx}"], ignores: notTests, rules: { "no-restricted-imports": restrict(APP, COMPONENTS, FEATURES) } },
  {
    name: "layers/lib-primitives",
    files: ["lib/**/*.{ts,tsx}"],
    ignores: [...notTests, "lib/ops/**", ...FEATURE_AREAS.map((g) => g.replace("@/", ""))],
    rules: { "no-restricted-imports": restrict(APP, COMPONENTS, FEATURES, OPS) },
  },
  { name: "layers/db", files: ["db/**/*.{ts,tsx}"], ignores: notTests, rules: { "no-restricted-imports": restrict(APP, COMPONENTS, LIB) } },
];

const noConsole = {
  files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}"],
  ignores: ["**/*.test.ts"],
  rules: { "no-console": "error" },
};

const config = [
  ...nextVitals,
  ...nextTs,
  ...layers,
  noConsole,
  { ignores: [".next/**", "node_modules/**", ".stack/**", ".data/**", "db/migrations/**", "next-env.d.ts", "playwright-report*/**", "test-results/**"] },
];

export default config;
