-- Writes DSCO failed at least one item of: the only rows the failure history (how often an
-- unchanged item failed, which stops it being re-sent forever) needs to read. Most writes
-- succeed whole, so the history no longer reads every write ever sent. The query repeats this
-- predicate literally; change both together.
CREATE INDEX dsco_write_failed_items_idx ON dsco_write (kind) WHERE results @> '[{"status":"failure"}]';
