/**
 * Runs once when the server starts. Refuses to start without a usable signing secret
 * (docs/security.md §3), then opens the database (migrations, first admin) so the first request
 * does not pay for it and a broken database is reported at once.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startup } = await import("./lib/startup");
  await startup();
}
