import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// app/ and components/ are routing and presentation: they reach data only through lib/<area>
// operations and queries, never the database or a backend client directly (STYLE.md).
const layering = {
  files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
  // Tests set up their own fixtures (a fresh database) beside the routes they exercise.
  ignores: ["**/*.test.ts"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          { group: ["@/db", "@/db/*", "**/db/*"], message: "Only lib/** may import the database." },
          { group: ["**/client", "@/lib/*/client"], message: "Only lib/** may import a backend client." },
          { group: ["pg", "@electric-sql/pglite", "ldapts", "node-zookeeper-client"], message: "Protocols are spoken in lib/** only." },
        ],
      },
    ],
  },
};

const noConsole = {
  files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}"],
  ignores: ["**/*.test.ts"],
  rules: { "no-console": "error" },
};

const config = [
  ...nextVitals,
  ...nextTs,
  layering,
  noConsole,
  { ignores: [".next/**", "node_modules/**", ".stack/**", ".data/**", "db/migrations/**", "next-env.d.ts", "playwright-report/**", "test-results/**"] },
];

export default config;
