-- Configs area (issue #13): gray (beta) releases the console started, with their rule, resolved IPs, state and deadline.
CREATE TABLE "config_gray_releases" (
	"id" text PRIMARY KEY NOT NULL,
	"environment" text NOT NULL,
	"namespace" text NOT NULL,
	"group_name" text NOT NULL,
	"data_id" text NOT NULL,
	"type" text NOT NULL,
	"content" text NOT NULL,
	"md5" text NOT NULL,
	"base_md5" text,
	"rule" jsonb NOT NULL,
	"ips" jsonb NOT NULL,
	"state" text DEFAULT 'active' NOT NULL,
	"creator_id" text NOT NULL,
	"creator_name" text NOT NULL,
	"deadline" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp (3) with time zone,
	"ended_by" text,
	CONSTRAINT "config_gray_releases_state_ck" CHECK ("state" IN ('active', 'promoted', 'aborted', 'expired'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "config_gray_releases_one_active_uq" ON "config_gray_releases" USING btree ("environment","namespace","group_name","data_id") WHERE "state" = 'active';
--> statement-breakpoint
CREATE INDEX "config_gray_releases_env_ns_idx" ON "config_gray_releases" USING btree ("environment","namespace","state");
--> statement-breakpoint
CREATE INDEX "config_gray_releases_deadline_idx" ON "config_gray_releases" USING btree ("deadline") WHERE "state" = 'active' AND "deadline" IS NOT NULL;
