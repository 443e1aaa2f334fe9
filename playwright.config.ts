import { defineConfig } from "@playwright/test";
import { loadStackEnv } from "./lib/testing/peers";

// Debian's Chromium only: no browser is ever downloaded (PEERS.md).
const chromium = process.env.SWITCHYARD_TEST_CHROMIUM ?? "/usr/bin/chromium";
const port = Number(process.env.SWITCHYARD_E2E_PORT ?? 3210);
// Per port, so two runs on different SWITCHYARD_E2E_PORTs never share a database or reports.
const dataDir = `.stack/e2e-data-${port}`;
const results = port === 3210 ? "test-results" : `test-results/port-${port}`;
export const E2E_ADMIN_PASSWORD = process.env.SWITCHYARD_E2E_ADMIN_PASSWORD ?? "e2e-admin-password-Q7x!";

// Sign-in goes to the stack's real slapd (StartTLS with its test CA), as in production.
const stack = loadStackEnv();
const ldapEnv: Record<string, string> = stack.SWITCHYARD_TEST_LDAP_URL
  ? {
      SWITCHYARD_LDAP_URL: stack.SWITCHYARD_TEST_LDAP_URL,
      SWITCHYARD_LDAP_CA_FILE: stack.SWITCHYARD_TEST_LDAP_CA!,
      SWITCHYARD_LDAP_BIND_DN: stack.SWITCHYARD_TEST_LDAP_BIND_DN!,
      SWITCHYARD_LDAP_BIND_PASSWORD: stack.SWITCHYARD_TEST_LDAP_BIND_PASSWORD!,
      SWITCHYARD_LDAP_USER_BASE: stack.SWITCHYARD_TEST_LDAP_USER_BASE!,
      SWITCHYARD_LDAP_GROUP_BASE: stack.SWITCHYARD_TEST_LDAP_GROUP_BASE!,
    }
  : {};

export default defineConfig({
  testDir: "e2e",
  outputDir: `${results}/e2e`,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: port === 3210 ? "playwright-report" : `playwright-report-${port}` }], ["json", { outputFile: `${results}/e2e.json` }]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    // The embedded default (PGlite in a throw-away data dir), exactly as `npm run console` runs it.
    command: `rm -rf ${dataDir} && PORT=${port} HOSTNAME=127.0.0.1 node scripts/server.mts`,
    url: `http://localhost:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    env: {
      SWITCHYARD_DATA_DIR: dataDir,
      SWITCHYARD_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      NEXTAUTH_URL: `http://localhost:${port}`,
      NEXT_TELEMETRY_DISABLED: "1",
      // The test stack lives on loopback; production refuses such endpoints by default.
      SWITCHYARD_ALLOW_PRIVATE_ENDPOINTS: "true",
      ...ldapEnv,
    },
  },
});
