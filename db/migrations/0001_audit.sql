-- The audit log: append-only, hash-chained, range-partitioned by month (DESIGN.md, SECURITY.md 18-23).
-- Hand-written: drizzle-kit generates neither partitions nor triggers.
CREATE SEQUENCE audit_events_id_seq AS bigint;
--> statement-breakpoint
CREATE TABLE audit_events (
  id bigint NOT NULL,
  created_at timestamptz(3) NOT NULL,
  request_id text NOT NULL,
  phase text NOT NULL CHECK (phase IN ('intent', 'outcome')),
  outcome text CHECK (outcome IN ('succeeded', 'failed', 'conflict', 'denied', 'unknown', 'partial')),
  action text NOT NULL,
  actor_id text NOT NULL,
  actor_name text NOT NULL,
  actor_source text NOT NULL,
  actor_roles jsonb NOT NULL,
  token_id text,
  environment text,
  namespace text,
  target_kind text,
  target_name text,
  version_before text,
  version_after text,
  before jsonb,
  after jsonb,
  detail jsonb,
  client_ip text,
  user_agent text,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (id, created_at),
  CHECK ((phase = 'intent') = (outcome IS NULL))
) PARTITION BY RANGE (created_at);
--> statement-breakpoint
CREATE INDEX audit_events_created_idx ON audit_events (created_at DESC, id DESC);
--> statement-breakpoint
CREATE INDEX audit_events_id_idx ON audit_events (id);
--> statement-breakpoint
CREATE INDEX audit_events_request_idx ON audit_events (request_id);
--> statement-breakpoint
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, created_at DESC);
--> statement-breakpoint
CREATE INDEX audit_events_action_idx ON audit_events (action, created_at DESC);
--> statement-breakpoint
CREATE INDEX audit_events_target_idx ON audit_events (environment, namespace, target_kind, target_name);
--> statement-breakpoint
CREATE TABLE audit_chain_head (
  singleton text PRIMARY KEY CHECK (singleton = 'head'),
  last_id bigint NOT NULL,
  last_hash text NOT NULL
);
--> statement-breakpoint
INSERT INTO audit_chain_head (singleton, last_id, last_hash)
VALUES ('head', 0, '0000000000000000000000000000000000000000000000000000000000000000');
--> statement-breakpoint
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_chain_head_keep BEFORE DELETE ON audit_chain_head
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
--> statement-breakpoint
-- Creates the month's partition (and its TRUNCATE guard: statement triggers do not reach a
-- partition truncated by name). SECURITY DEFINER so an app role that does not own the table
-- can still roll over to a new month. Called under the chain's advisory lock.
CREATE FUNCTION audit_ensure_partition(ts timestamptz) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  start_ts timestamptz := date_trunc('month', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  end_ts timestamptz := (date_trunc('month', ts AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
  part text := 'audit_events_' || to_char(date_trunc('month', ts AT TIME ZONE 'UTC'), 'YYYY_MM');
BEGIN
  IF to_regclass(part) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)', part, start_ts, end_ts);
    EXECUTE format('CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()', part);
  END IF;
  RETURN part;
END
$$;
--> statement-breakpoint
CREATE TABLE audit_events_default PARTITION OF audit_events DEFAULT;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events_default
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
--> statement-breakpoint
SELECT audit_ensure_partition(now());
--> statement-breakpoint
SELECT audit_ensure_partition(now() + interval '1 month');
