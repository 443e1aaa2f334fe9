import type { InputHTMLAttributes, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

/** The one look of a form field; `large` for the roomier sign-in and password forms. */
export function fieldClass(large = false, className = ""): string {
  return `rounded-md border border-slate-300 bg-white text-sm dark:border-slate-700 dark:bg-slate-950 ${large ? "px-3 py-2" : "px-2 py-1.5"} ${className}`.trim();
}

type Large = { large?: boolean };

export function Input({ large, className, ...props }: InputHTMLAttributes<HTMLInputElement> & Large) {
  return <input {...props} className={fieldClass(large, className)} />;
}

/** `options`: values shown as they are (e.g. Istio enums), instead of <option> children. */
export function Select({ large, className, options, children, ...props }: SelectHTMLAttributes<HTMLSelectElement> & Large & { options?: readonly string[] }) {
  return (
    <select {...props} className={fieldClass(large, className)}>
      {options
        ? options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))
        : children}
    </select>
  );
}

export function Textarea({ large, className, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement> & Large) {
  return <textarea {...props} className={fieldClass(large, className)} />;
}
