-- 0025: the reference rows' key read by an index of their own (issue 22, the country: PostgreSQL's CPU per laptop).
--
-- Every pull reads the reference rows' (max(seq), count(*)) in its own snapshot to know whether the
-- per-process cache of their JSON still holds (server/reference_cache.py). By (scope_id, seq) that was a
-- bitmap scan of ~130 heap pages per pull (the 1,020 reference rows of the country bench lie among every
-- other row); this partial index holds only the reference rows' sequence numbers, so the key is an
-- index-only scan of a few pages. Rows with a unit (every push's) are not in it: their inserts and
-- updates only test the predicate.
CREATE INDEX rows_reference_seq ON rows (seq) WHERE scope_id IS NULL;
