-- Where a settle's change-log read stopped part-way through a write's scroll (the run made way
-- for a backlog): the next settle continues at that page instead of reading the write's pages
-- again from the first. {scrollId, entriesRead, requestStatus}; null when none is kept.
ALTER TABLE dsco_write ADD COLUMN log_resume jsonb;
