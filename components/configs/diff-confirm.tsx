"use client";

import type { ComponentProps, ReactNode } from "react";
import { DiffView } from "@/components/editor/diff-view";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/**
 * Every publish is confirmed with the diff it makes (published → new), unified or side by side:
 * the ConfirmDialog frame (focus starts on Cancel; Escape cancels; modal), wide, with the
 * editor's diff view.
 */
export function DiffConfirm({
  before,
  after,
  beforeLabel,
  afterLabel,
  ...dialog
}: Omit<ComponentProps<typeof ConfirmDialog>, "before" | "after" | "diff" | "size"> & {
  before: string;
  after: string;
  beforeLabel?: string;
  afterLabel?: string;
  children?: ReactNode;
}) {
  return (
    <ConfirmDialog
      {...dialog}
      size="wide"
      diff={<DiffView before={before} after={after} beforeLabel={beforeLabel} afterLabel={afterLabel} maxHeight="24rem" testId="confirm-diff" />}
    />
  );
}
