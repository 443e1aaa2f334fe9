/** TanStack Query keys for environments; the header's switch and Settings → Environments share the list. */
export const environmentKeys = {
  all: ["environments"] as const,
  list: () => environmentKeys.all,
};
