-- Overview: objects with validation errors, sampled once a minute per environment with a Kubernetes API
-- (lib/overview/validation-sampler.ts). Per (environment, area, namespace, resolution, bucket): the number of
-- objects whose worst issue is an error, and of those whose worst is a warning. The namespace '' row is the
-- environment's marker for that sample: NULL counts = not known (API down, over the time budget), 0 = judged;
-- a namespace row exists only where an object has an error or a warning.
CREATE TABLE "overview_validation_samples" (
	"environment_id" text NOT NULL REFERENCES "environments" ("id") ON DELETE CASCADE,
	"area" text NOT NULL CHECK ("area" IN ('mesh', 'gateway')),
	"namespace" text NOT NULL,
	"resolution" text NOT NULL CHECK ("resolution" IN ('minute', 'hour')),
	"bucket" timestamp (3) with time zone NOT NULL,
	"errors" integer CHECK ("errors" >= 0),
	"warnings" integer CHECK ("warnings" >= 0),
	"sampled_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	PRIMARY KEY ("environment_id", "area", "namespace", "resolution", "bucket")
);
--> statement-breakpoint
CREATE INDEX "overview_validation_samples_bucket_idx" ON "overview_validation_samples" USING btree ("resolution", "bucket");
