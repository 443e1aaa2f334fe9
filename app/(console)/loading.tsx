"use client";

import { Spinner } from "@/components/ui/states";

export default function Loading() {
  return <Spinner />;
}
