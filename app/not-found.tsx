import Link from "next/link";
import { requestLocale } from "@/lib/i18n/server";
import { translate } from "@/lib/i18n/messages";

export default async function NotFound() {
  const locale = await requestLocale();
  return (
    <main className="grid min-h-screen place-items-center p-6">
      <div className="text-center">
        <h1 className="text-xl font-semibold">{translate(locale, "notFound.title")}</h1>
        <Link href="/overview" className="mt-4 inline-block text-sm text-sky-700 underline">
          {translate(locale, "error.back")}
        </Link>
      </div>
    </main>
  );
}
