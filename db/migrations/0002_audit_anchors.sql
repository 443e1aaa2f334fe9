-- Where a retention purge cut the chain: the last dropped row's id and hash, so verification
-- continues from there (issue: retention). Append-only like the log itself.
CREATE TABLE audit_anchors (
  id bigserial PRIMARY KEY,
  purged_through_id bigint NOT NULL,
  last_hash text NOT NULL,
  partitions jsonb NOT NULL,
  purged_at timestamptz(3) NOT NULL DEFAULT now(),
  purged_by text NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER audit_anchors_append_only BEFORE UPDATE OR DELETE ON audit_anchors
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_anchors_no_truncate BEFORE TRUNCATE ON audit_anchors
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
