ALTER TABLE "users" ADD COLUMN "ldap_dn" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "groups_verified_at" timestamp (3) with time zone;--> statement-breakpoint
UPDATE "users" SET "ldap_dn" = "external_id", "groups_verified_at" = "groups_refreshed_at" WHERE "source" = 'ldap';
