-- Operations columns, pull watermark and the remote-write log. Only adds: existing databases
-- upgrade in place and keep every row.

-- Why a row is stuck and when it is next due: a row that keeps being skipped backs off instead
-- of holding back the rows behind it (fair picking), and operators see the last reason.
ALTER TABLE dsco_order_sync
  ADD COLUMN last_error            text,
  ADD COLUMN last_error_at         timestamptz,
  ADD COLUMN attempts              integer     NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_at       timestamptz,
  -- DSCO's own deadlines, from the order payload.
  ADD COLUMN acknowledge_by        timestamptz,
  ADD COLUMN ship_by               timestamptz,
  ADD COLUMN invoice_by            timestamptz,
  ADD COLUMN cancel_after          timestamptz,
  -- Something an operator must look at (e.g. cancelled_after_shipped, changed_after_push).
  ADD COLUMN attention             text,
  ADD COLUMN attention_at          timestamptz,
  ADD COLUMN attention_detail      text,
  -- When the Lingxing order(s) of a cancelled PO were cancelled there.
  ADD COLUMN lingxing_cancelled_at timestamptz;

-- Due picking: rows at a status whose next_attempt_at is null or past, oldest first.
CREATE INDEX dsco_order_sync_due_idx ON dsco_order_sync (status, next_attempt_at, dsco_create_time, po_number);
CREATE INDEX dsco_order_sync_attention_idx ON dsco_order_sync (attention_at) WHERE attention IS NOT NULL;

-- sync_watermark: per stream, the `until` of the last scheduled scan that read its whole window.
CREATE TABLE sync_watermark (
  stream     text        PRIMARY KEY,
  until      timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- An existing table starts from its newest stored order (the old cursor's anchor), so the first
-- watermark scan re-reads the overlap behind it rather than everything since the epoch.
INSERT INTO sync_watermark (stream, until)
SELECT 'dsco_orders', to_timestamp(max(dsco_create_time)) FROM dsco_order_sync HAVING count(*) > 0;

-- dsco_write: one row per remote write that is not idempotent by key, written before the call
-- and settled from the remote change log; the audit trail operators read.
CREATE TABLE dsco_write (
  id          bigserial   PRIMARY KEY,
  kind        text        NOT NULL,
  po_numbers  text[]      NOT NULL DEFAULT '{}',
  skus        text[]      NOT NULL DEFAULT '{}',
  body_hash   text        NOT NULL,
  body        jsonb,
  sent_at     timestamptz NOT NULL DEFAULT now(),
  request_id  text,
  state       text        NOT NULL DEFAULT 'sending'
              CHECK (state IN ('sending', 'pending', 'success', 'failure', 'in_doubt')),
  results     jsonb,
  error       text,
  settled_at  timestamptz,
  attempt     integer     NOT NULL DEFAULT 1 CHECK (attempt >= 1)
);
CREATE INDEX dsco_write_state_idx ON dsco_write (state);
CREATE INDEX dsco_write_request_id_idx ON dsco_write (request_id);
CREATE INDEX dsco_write_po_numbers_idx ON dsco_write USING gin (po_numbers);
CREATE INDEX dsco_write_skus_idx ON dsco_write USING gin (skus);
