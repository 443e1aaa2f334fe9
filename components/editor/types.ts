/** The languages the shared editor highlights (config types of Nacos, plus text). */
export type EditorLanguage = "yaml" | "json" | "properties" | "xml" | "html" | "toml" | "text";

/** A problem at a 1-based line and column, shown in the gutter and underlined. */
export interface EditorDiagnostic {
  line: number;
  column: number;
  message: string;
  severity: "error" | "warning";
}

export interface CodeEditorProps {
  value: string;
  onChange?: (value: string) => void;
  language: EditorLanguage;
  diagnostics?: EditorDiagnostic[];
  readOnly?: boolean;
  /** The accessible name of the text area (say what is being edited). */
  ariaLabel: string;
  /** CSS height of the editor, e.g. "24rem" (default) or "60vh". */
  height?: string;
  /** data-testid on the wrapper; "code-editor" unless given. */
  testId?: string;
}
