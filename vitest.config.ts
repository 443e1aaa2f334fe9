import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = [
  { find: /^@\/(.*)$/, replacement: path.resolve(__dirname, "$1") },
  // Server modules import "server-only"; outside Next's react-server layer it must be inert.
  { find: /^server-only$/, replacement: path.resolve(__dirname, "node_modules/server-only/empty.js") },
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          environment: "node",
          include: ["{lib,db,components,app,scripts,e2e,bench}/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "node_modules/**"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          environment: "node",
          include: ["{lib,db,app,scripts}/**/*.integration.test.ts"],
          globalSetup: ["lib/testing/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Two cores and shared peers: files run one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
