"use client";

import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type ReactNode, type SelectHTMLAttributes } from "react";

const HEADER_FIELD = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm disabled:bg-slate-50 disabled:text-slate-500 dark:border-slate-700 dark:bg-slate-900";

/**
 * A header choice (environment, language; the theme in settings): a native select, so arrows,
 * type-ahead and screen readers behave as the platform does. `label` names it (shown before it
 * with `showLabel`, else for screen readers only).
 */
export function HeaderSelect({ label, showLabel = false, ...props }: Omit<SelectHTMLAttributes<HTMLSelectElement>, "className" | "aria-label"> & { label: string; showLabel?: boolean }) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className={showLabel ? "text-slate-500" : "sr-only"}>{label}</span>
      <select {...props} aria-label={label} className={HEADER_FIELD} />
    </label>
  );
}

const ITEMS = '[role="menuitem"],[role="menuitemradio"],[role="menuitemcheckbox"]';

/**
 * A menu that drops from a header button (the user menu). Escape closes it and returns focus
 * to the button; a click outside closes it; ArrowDown on the button opens it at the first item;
 * ArrowUp/ArrowDown/Home/End move between its items (role menuitem, menuitemradio, …).
 */
export function DropdownMenu({
  label,
  trigger,
  testId,
  children,
}: {
  /** The button's accessible name. */
  label: string;
  /** What the button shows. */
  trigger: ReactNode;
  testId?: string;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const focusFirst = useRef(false);

  useEffect(() => {
    if (!open) return;
    if (focusFirst.current) {
      focusFirst.current = false;
      panel.current?.querySelector<HTMLElement>(ITEMS)?.focus();
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    const onClick = (e: MouseEvent) => ref.current && !ref.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  const onTriggerKey = (e: ReactKeyboardEvent) => {
    if (e.key !== "ArrowDown") return;
    e.preventDefault();
    if (open) panel.current?.querySelector<HTMLElement>(ITEMS)?.focus();
    else {
      focusFirst.current = true;
      setOpen(true);
    }
  };

  const onPanelKey = (e: ReactKeyboardEvent) => {
    const items = [...(panel.current?.querySelectorAll<HTMLElement>(ITEMS) ?? [])];
    if (!items.length) return;
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = e.key === "ArrowDown" ? (at + 1) % items.length : e.key === "ArrowUp" ? (at <= 0 ? items.length - 1 : at - 1) : e.key === "Home" ? 0 : e.key === "End" ? items.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    items[next]!.focus();
  };

  return (
    <div className="relative" ref={ref}>
      <button
        ref={button}
        type="button"
        data-testid={testId}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={label}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={onTriggerKey}
        className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
      >
        {trigger}
      </button>
      {open && (
        <div ref={panel} role="menu" onKeyDown={onPanelKey} className="absolute right-0 z-20 mt-2 w-72 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900">
          {children}
        </div>
      )}
    </div>
  );
}
