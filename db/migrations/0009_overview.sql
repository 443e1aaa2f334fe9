-- Overview: registry counts sampled once a minute per environment and namespace (lib/overview/sampler.ts).
-- One row per (environment, namespace, resolution, bucket): replicas racing for a minute insert with
-- ON CONFLICT DO NOTHING; the lease below keeps all but one replica from even reading the registries.
CREATE TABLE "overview_samples" (
	"environment_id" text NOT NULL REFERENCES "environments" ("id") ON DELETE CASCADE,
	"namespace" text NOT NULL,
	"resolution" text NOT NULL CHECK ("resolution" IN ('minute', 'hour')),
	"bucket" timestamp (3) with time zone NOT NULL,
	"zone" text NOT NULL,
	"services" integer NOT NULL,
	"instances" integer NOT NULL,
	"healthy" integer NOT NULL,
	"unhealthy" integer NOT NULL,
	"disabled" integer NOT NULL,
	"sampled_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	PRIMARY KEY ("environment_id", "namespace", "resolution", "bucket")
);
--> statement-breakpoint
CREATE INDEX "overview_samples_bucket_idx" ON "overview_samples" USING btree ("resolution", "bucket");
--> statement-breakpoint
-- The sampler's lease: one holder at a time, renewed each round, taken over once expired.
CREATE TABLE "overview_sampler_lease" (
	"id" integer PRIMARY KEY NOT NULL CHECK ("id" = 1),
	"holder" text NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL
);
