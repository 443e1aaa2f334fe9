/**
 * A benchmark starts servers (a console, a throw-away PostgreSQL cluster) and seeds data; Ctrl-C,
 * SIGTERM or a closed stdout (`| head`) must still stop and remove them. Registers those exits
 * to run `cleanup` once and then exit 130.
 */
export function cleanupOnExit(cleanup: () => Promise<void>): void {
  const abort = () => {
    // The run's own connections die with the servers; nothing may stop the cleanup now.
    process.on("uncaughtException", () => undefined);
    process.on("unhandledRejection", () => undefined);
    void cleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", abort);
  process.once("SIGTERM", abort);
  process.stdout.on("error", () => {
    console.log = () => undefined;
    abort();
  });
}
