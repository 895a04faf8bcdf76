-- dsco_order_sync.ship_facts: what ship_to_dsco read from Lingxing's WMS when it moved the row
-- 3 → 4 (shipped quantity per line key, the latest ship time, the tracking numbers), so
-- invoice_to_dsco can invoice the PO without listing its WMS outbound orders again. NULL where
-- ship advanced without a WMS read (DSCO already held the shipment) and on rows shipped before
-- this column: invoice_to_dsco then reads WMS as before. Readers validate the value and ignore
-- one they do not understand.
ALTER TABLE dsco_order_sync ADD COLUMN ship_facts jsonb;
