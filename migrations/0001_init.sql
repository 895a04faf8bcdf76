-- dsco_order_sync: one row per DSCO purchase order (SPEC §3).
CREATE TABLE dsco_order_sync (
  id                 bigserial PRIMARY KEY,
  po_number          text        NOT NULL UNIQUE,
  dsco_order_id      text,
  dsco_retailer_id   text,
  dsco_status        text,
  dsco_create_time   bigint      NOT NULL,
  status             smallint    NOT NULL CHECK (status BETWEEN 1 AND 6),
  mskus              text,
  warehouse_id       text,
  shipment           text,
  lingxing_order_nos text,
  shipped_tracking_no text,
  dsco_invoice_id    text,
  payload            jsonb       NOT NULL DEFAULT '{}'::jsonb,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
-- po_number is appended so "oldest first" picks and the admin keyset pagination, both ordered by
-- (dsco_create_time, po_number), read straight off an index.
CREATE INDEX dsco_order_sync_status_create_time_idx ON dsco_order_sync (status, dsco_create_time, po_number);
CREATE INDEX dsco_order_sync_create_time_idx ON dsco_order_sync (dsco_create_time, po_number);
-- Stuck-order scans (rows at 1..4 not updated for a while).
CREATE INDEX dsco_order_sync_status_updated_at_idx ON dsco_order_sync (status, updated_at);

-- dsco_warehouse_sync: one row per (run, warehouse, sku) of sync_stock.
CREATE TABLE dsco_warehouse_sync (
  id               bigserial PRIMARY KEY,
  run_id           text        NOT NULL,
  synced_at        timestamptz NOT NULL DEFAULT now(),
  warehouse_code   text,
  wid              text        NOT NULL,
  sku              text        NOT NULL,
  partner_sku      text        NOT NULL,
  quantity         integer     NOT NULL,
  pushed           boolean     NOT NULL DEFAULT false,
  dsco_request_id  text
);
CREATE INDEX dsco_warehouse_sync_synced_at_idx ON dsco_warehouse_sync (synced_at);
CREATE INDEX dsco_warehouse_sync_partner_sku_idx ON dsco_warehouse_sync (partner_sku);
CREATE INDEX dsco_warehouse_sync_run_id_idx ON dsco_warehouse_sync (run_id);

-- runtime_config: versioned; the newest version is live. Writers compare-and-set on version.
CREATE TABLE runtime_config (
  id          bigserial PRIMARY KEY,
  version     integer     NOT NULL UNIQUE CHECK (version >= 1),
  config      jsonb       NOT NULL,
  updated_by  text        NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
