-- order_status_audit: every manual status change made from the admin console or the CLI.
-- Only appended to; a row is written in the same transaction as the guarded status update, so a
-- change without its audit line (or an audit line without its change) cannot exist.
CREATE TABLE order_status_audit (
  id          bigserial   PRIMARY KEY,
  po_number   text        NOT NULL,
  from_status smallint    NOT NULL CHECK (from_status BETWEEN 1 AND 6),
  to_status   smallint    NOT NULL CHECK (to_status BETWEEN 1 AND 6),
  reason      text        NOT NULL CHECK (length(btrim(reason)) > 0),
  actor       text        NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_status_audit_po_at_idx ON order_status_audit (po_number, at);
