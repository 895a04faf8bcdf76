-- dsco_warehouse_sync gains the other side of the comparison: what DSCO held for the item at the
-- warehouse when sync_stock read it, and the difference (Lingxing quantity − DSCO quantity).
-- Both stay NULL where DSCO's quantity was not read (older rows, rows given to the inventory API).
ALTER TABLE dsco_warehouse_sync ADD COLUMN dsco_quantity integer;
ALTER TABLE dsco_warehouse_sync ADD COLUMN diff integer;
