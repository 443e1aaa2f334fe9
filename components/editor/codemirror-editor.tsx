"use client";

import { useEffect, useRef } from "react";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { html } from "@codemirror/lang-html";
import { json } from "@codemirror/lang-json";
import { xml } from "@codemirror/lang-xml";
import { yaml } from "@codemirror/lang-yaml";
import { bracketMatching, foldGutter, foldKeymap, HighlightStyle, indentOnInput, StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { properties } from "@codemirror/legacy-modes/mode/properties";
import { toml } from "@codemirror/legacy-modes/mode/toml";
import { lintGutter, lintKeymap, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { Compartment, EditorState, type Extension, type Text } from "@codemirror/state";
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import type { CodeEditorProps, EditorDiagnostic, EditorLanguage } from "@/components/editor/types";

function languageExtension(language: EditorLanguage): Extension {
  switch (language) {
    case "yaml":
      return yaml();
    case "json":
      return json();
    case "xml":
      return xml();
    case "html":
      return html();
    case "properties":
      return StreamLanguage.define(properties);
    case "toml":
      return StreamLanguage.define(toml);
    default:
      return [];
  }
}

/**
 * Colours come from CSS variables set on the wrapper for light and (via the console's `dark`
 * variant, which also covers "system") dark, so the editor follows the theme without
 * re-creating the view.
 */
const theme = EditorView.theme({
  "&": { color: "var(--cm-fg)", backgroundColor: "var(--cm-bg)", fontSize: "0.8125rem", height: "100%" },
  "&.cm-focused": { outline: "none" },
  ".cm-scroller": { fontFamily: "var(--font-mono)", overflow: "auto" },
  ".cm-content": { caretColor: "var(--cm-caret)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--cm-caret)" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection": { backgroundColor: "var(--cm-selection)" },
  ".cm-gutters": { backgroundColor: "var(--cm-gutter-bg)", color: "var(--cm-gutter-fg)", borderRight: "1px solid var(--cm-border)" },
  ".cm-activeLine": { backgroundColor: "var(--cm-active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--cm-active-line)" },
  ".cm-matchingBracket": { backgroundColor: "var(--cm-selection)", outline: "1px solid var(--cm-border)" },
  ".cm-searchMatch": { backgroundColor: "var(--cm-search)" },
  ".cm-panels": { backgroundColor: "var(--cm-gutter-bg)", color: "var(--cm-fg)" },
  ".cm-panels input, .cm-panels button": { color: "inherit" },
  ".cm-tooltip": { backgroundColor: "var(--cm-bg)", color: "var(--cm-fg)", border: "1px solid var(--cm-border)" },
  ".cm-diagnostic-error": { borderLeftColor: "var(--cm-error)" },
  ".cm-diagnostic-warning": { borderLeftColor: "var(--cm-warning)" },
});

const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.operatorKeyword, tags.modifier], color: "var(--cm-keyword)" },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: "var(--cm-string)" },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: "var(--cm-number)" },
  { tag: [tags.comment, tags.lineComment, tags.blockComment, tags.meta, tags.processingInstruction], color: "var(--cm-comment)", fontStyle: "italic" },
  { tag: [tags.propertyName, tags.attributeName, tags.definition(tags.propertyName), tags.labelName], color: "var(--cm-property)" },
  { tag: [tags.tagName, tags.typeName, tags.heading], color: "var(--cm-tag)" },
  { tag: [tags.variableName, tags.attributeValue], color: "var(--cm-string)" },
  { tag: tags.invalid, color: "var(--cm-error)" },
]);

const WRAPPER_VARS = [
  "[--cm-bg:#ffffff] [--cm-fg:#0f172a] [--cm-caret:#0f172a] [--cm-selection:#bae6fd] [--cm-gutter-bg:#f8fafc] [--cm-gutter-fg:#64748b]",
  "[--cm-border:#e2e8f0] [--cm-active-line:#f1f5f9] [--cm-search:#fde68a] [--cm-error:#dc2626] [--cm-warning:#d97706]",
  "[--cm-keyword:#7c3aed] [--cm-string:#047857] [--cm-number:#b45309] [--cm-comment:#64748b] [--cm-property:#0369a1] [--cm-tag:#be123c]",
  "dark:[--cm-bg:#020617] dark:[--cm-fg:#e2e8f0] dark:[--cm-caret:#e2e8f0] dark:[--cm-selection:#0c4a6e] dark:[--cm-gutter-bg:#0f172a] dark:[--cm-gutter-fg:#94a3b8]",
  "dark:[--cm-border:#334155] dark:[--cm-active-line:#1e293b] dark:[--cm-search:#854d0e] dark:[--cm-error:#f87171] dark:[--cm-warning:#fbbf24]",
  "dark:[--cm-keyword:#c4b5fd] dark:[--cm-string:#6ee7b7] dark:[--cm-number:#fcd34d] dark:[--cm-comment:#94a3b8] dark:[--cm-property:#7dd3fc] dark:[--cm-tag:#fda4af]",
].join(" ");

/** A 1-based line/column as a document range: from the column to the end of its word (at least one character). */
function toDiagnostics(doc: Text, diagnostics: EditorDiagnostic[]): Diagnostic[] {
  return diagnostics.map((d) => {
    const line = doc.line(Math.min(Math.max(1, Math.trunc(d.line) || 1), doc.lines));
    const from = Math.min(line.from + Math.max(0, (Math.trunc(d.column) || 1) - 1), line.to);
    const rest = doc.sliceString(from, line.to);
    const word = /^\S+/.exec(rest)?.[0].length ?? 0;
    const to = word > 0 ? from + word : Math.min(from + 1, doc.length);
    return { from, to: Math.max(from, to), severity: d.severity, message: d.message };
  });
}

/** CodeMirror 6 behind the props of `LazyCodeEditor` (import that, not this module). */
export function CodeMirrorEditor({ value, onChange, language, diagnostics, readOnly = false, ariaLabel, height = "24rem", testId = "code-editor" }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  const compartments = useRef({ language: new Compartment(), readOnly: new Compartment(), label: new Compartment() });

  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  // Created once; later prop changes are dispatched into the same view (keeps undo history and focus).
  useEffect(() => {
    const c = compartments.current;
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          foldGutter(),
          lintGutter(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          drawSelection(),
          history(),
          indentOnInput(),
          bracketMatching(),
          search({ top: true }),
          highlightSelectionMatches(),
          // Tab indents; Escape then Tab leaves the editor (CodeMirror's tab-focus mode), so keyboard users are never trapped.
          keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, ...foldKeymap, ...lintKeymap, indentWithTab]),
          syntaxHighlighting(highlight),
          theme,
          c.language.of(languageExtension(language)),
          c.readOnly.of([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
          c.label.of(EditorView.contentAttributes.of({ "aria-label": ariaLabel })),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChangeRef.current?.(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The view is created once per mount; the effects below carry prop changes into it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: compartments.current.language.reconfigure(languageExtension(language)) });
  }, [language]);

  useEffect(() => {
    view.current?.dispatch({
      effects: compartments.current.readOnly.reconfigure([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
    });
  }, [readOnly]);

  useEffect(() => {
    view.current?.dispatch({ effects: compartments.current.label.reconfigure(EditorView.contentAttributes.of({ "aria-label": ariaLabel })) });
  }, [ariaLabel]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, toDiagnostics(v.state.doc, diagnostics ?? [])));
  }, [diagnostics, value]);

  return (
    <div
      ref={host}
      data-testid={testId}
      data-language={language}
      data-diagnostics={diagnostics?.length ?? 0}
      style={{ height }}
      className={`overflow-hidden rounded-md border border-slate-300 focus-within:ring-2 focus-within:ring-sky-500 dark:border-slate-700 ${WRAPPER_VARS}`}
    />
  );
}
