/** Input fields shared by the site reads (zones.ts) and disable-everywhere.ts. */
import { z } from "zod";

export const SiteName = z.string().regex(/^[A-Za-z0-9._-]{1,63}$/, "must be a site label value");

export const NamespaceId = z.string().regex(/^[A-Za-z0-9_-]{0,128}$/, "must be a namespace id");

export const GroupName = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, "must be a group name");

export const ServiceNameField = z.string().regex(/^[A-Za-z0-9_.:@-]{1,256}$/, "must be a service name");
