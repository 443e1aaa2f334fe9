"use client";

import dynamic from "next/dynamic";
import { useI18n } from "@/components/i18n/i18n-provider";
import type { CodeEditorProps } from "@/components/editor/types";

export type { CodeEditorProps, EditorDiagnostic, EditorLanguage } from "@/components/editor/types";

function EditorLoading({ height }: { height?: string }) {
  const { t } = useI18n();
  return (
    <div
      role="status"
      aria-live="polite"
      style={{ height: height ?? "24rem" }}
      className="flex items-center justify-center rounded-md border border-slate-300 bg-white text-sm text-slate-500 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-400"
    >
      {t("configs.editor.loading")}
    </div>
  );
}

const Lazy = dynamic(() => import("@/components/editor/codemirror-editor").then((m) => m.CodeMirrorEditor), {
  ssr: false,
  loading: () => <EditorLoading />,
});

/**
 * The console's code editor (CodeMirror 6), loaded only by the routes that render it: the
 * CodeMirror bundle is a separate chunk fetched when this component first mounts, never part
 * of a page's first load. Follows the console's light/dark theme through CSS variables, so
 * "system" follows the OS without JavaScript.
 */
export function LazyCodeEditor(props: CodeEditorProps) {
  return <Lazy {...props} />;
}
