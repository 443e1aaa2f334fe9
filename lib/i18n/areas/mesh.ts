/**
 * UI strings of the mesh area, English and Simplified Chinese. Merged into lib/i18n/messages.ts;
 * keys start with "mesh." so areas never collide. `zh` is typed against `en`: a missing
 * translation is a type error.
 */
export const en = {} as const;

export const zh: Record<keyof typeof en, string> = {};
