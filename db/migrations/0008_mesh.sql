-- Mesh area (issue #14): generic Kubernetes object revisions (mesh and gateway kinds) and fault-injection deadlines.
CREATE TABLE "kube_object_revisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"environment" text NOT NULL,
	"kind" text NOT NULL,
	"namespace" text NOT NULL,
	"name" text NOT NULL,
	"revision" integer NOT NULL,
	"operation" text NOT NULL,
	"resource_version" text,
	"object" jsonb,
	"actor_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"request_id" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "kube_object_revisions_object_rev_uq" ON "kube_object_revisions" USING btree ("environment","kind","namespace","name","revision");
--> statement-breakpoint
CREATE INDEX "kube_object_revisions_env_ns_idx" ON "kube_object_revisions" USING btree ("environment","namespace");
--> statement-breakpoint
CREATE TABLE "mesh_fault_deadlines" (
	"id" text PRIMARY KEY NOT NULL,
	"environment" text NOT NULL,
	"namespace" text NOT NULL,
	"name" text NOT NULL,
	"restore" jsonb NOT NULL,
	"injected_resource_version" text NOT NULL,
	"revert_at" timestamp (3) with time zone NOT NULL,
	"state" text DEFAULT 'active' NOT NULL,
	"request_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"result" jsonb,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE INDEX "mesh_fault_deadlines_due_idx" ON "mesh_fault_deadlines" USING btree ("state","revert_at");
