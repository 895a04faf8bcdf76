-- Due picking reads rows never deferred (next_attempt_at null: nearly all of them) in
-- (dsco_create_time, po_number) order. The (status, next_attempt_at, ...) index cannot give that
-- order under "next_attempt_at IS NULL", so without this partial index a pick reads and sorts
-- every row at the status whenever the planner's row estimates are off (a table whose status
-- counts change by thousands a second). A plain CREATE INDEX: it blocks writes to the table for
-- the moment it takes (about a second per million rows).
CREATE INDEX dsco_order_sync_due_now_idx ON dsco_order_sync (status, dsco_create_time, po_number) WHERE next_attempt_at IS NULL;
