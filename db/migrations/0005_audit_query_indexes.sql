-- Audit queries filter on one or more columns and read the newest ids first: each index ends
-- in id DESC so a filtered first page is an ordered index walk, not a scan (bench/audit).
DROP INDEX IF EXISTS audit_events_actor_idx;
--> statement-breakpoint
DROP INDEX IF EXISTS audit_events_action_idx;
--> statement-breakpoint
DROP INDEX IF EXISTS audit_events_target_idx;
--> statement-breakpoint
CREATE INDEX audit_events_actor_id_idx ON audit_events (actor_id, id DESC);
--> statement-breakpoint
CREATE INDEX audit_events_actor_name_idx ON audit_events (actor_name, id DESC);
--> statement-breakpoint
CREATE INDEX audit_events_action_id_idx ON audit_events (action, id DESC);
--> statement-breakpoint
CREATE INDEX audit_events_outcome_id_idx ON audit_events (outcome, id DESC);
--> statement-breakpoint
CREATE INDEX audit_events_env_ns_idx ON audit_events (environment, namespace, id DESC);
--> statement-breakpoint
CREATE INDEX audit_events_target_id_idx ON audit_events (target_kind, target_name, id DESC);
