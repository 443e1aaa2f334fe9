/**
 * A long import or clone, streamed: when the caller accepts `application/x-ndjson`, the answer
 * starts once the first config is written (so refusals before any write — 403, 409 / 422 under
 * abort, 400 — keep their status) and carries one `{"progress":…}` line per item, then
 * `{"result":…}` (or `{"error":…}`). Otherwise one JSON answer at the end.
 */
import "server-only";
import { transferProgress, type TransferProgress } from "@/lib/configs/transfer";
import { isAppError } from "@/lib/errors";

export async function transferResponse<T>(req: Request, run: () => Promise<T>): Promise<Response> {
  if (!(req.headers.get("accept") ?? "").includes("application/x-ndjson")) return Response.json(await run());
  const enc = new TextEncoder();
  const lines: string[] = [];
  let push: ((line: string) => void) | null = null;
  let started!: () => void;
  const first = new Promise<"stream">((r) => (started = () => r("stream")));
  const report = (p: TransferProgress) => {
    const line = `${JSON.stringify({ progress: p })}\n`;
    if (push) push(line);
    else lines.push(line);
    started();
  };
  const done = transferProgress.run(report, run);
  const which = await Promise.race([first, done.then(() => "done" as const, () => "done" as const)]);
  if (which === "done" && lines.length === 0) return Response.json(await done);
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      for (const l of lines) c.enqueue(enc.encode(l));
      push = (l) => c.enqueue(enc.encode(l));
      done.then(
        (result) => {
          c.enqueue(enc.encode(`${JSON.stringify({ result })}\n`));
          c.close();
        },
        (e: unknown) => {
          const error = isAppError(e) ? { status: e.status, detail: e.userMessage } : { status: 500, detail: "internal error" };
          c.enqueue(enc.encode(`${JSON.stringify({ error })}\n`));
          c.close();
        },
      );
    },
  });
  return new Response(stream, { headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" } });
}
