"use client";

import { useI18n } from "@/components/i18n/i18n-provider";

/**
 * The <option>s of a namespace picker: Nacos' namespaces as "name (id)", the public one by its
 * name in the reader's language, and the chosen `value` first while it is not (yet) among them,
 * so the select never shows a namespace other than the one in use.
 */
export function NamespaceOptions({ namespaces, value }: { namespaces: Array<{ id: string; name: string }> | undefined; value: string }) {
  const { t } = useI18n();
  return (
    <>
      {!namespaces?.some((n) => n.id === value) && <option value={value}>{value || t("configs.publicNs")}</option>}
      {namespaces?.map((n) => (
        <option key={n.id} value={n.id}>
          {n.id === "" ? t("configs.publicNs") : `${n.name} (${n.id})`}
        </option>
      ))}
    </>
  );
}
