-- 0028: the reference rows' generation, kept by the database (issue 22, the country: PostgreSQL's CPU per laptop).
--
-- Every pull asks whether the per-process cache of the reference rows' JSON still holds
-- (server/reference_cache.py). It read their (max(seq), count(*)) in its own snapshot: an index-only scan
-- of every reference row's entry (1,020 in the country bench), about 0.24 ms of PostgreSQL a pull. Now
-- any insert, update or delete of a reference row (a row in no unit), and a TRUNCATE of rows, adds one
-- to this single row's number in the same transaction, so a snapshot that sees a change to reference data
-- sees the new number too, whichever instance (or hand in the database) made it; the pull reads one row.
-- Rows with a unit (every push's) only test the triggers' WHEN conditions.
CREATE TABLE reference_generation (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    n bigint NOT NULL
);
INSERT INTO reference_generation (one, n) VALUES (true, 1);

CREATE FUNCTION reference_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reference_generation SET n = n + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER rows_reference_insert AFTER INSERT ON rows FOR EACH ROW WHEN (NEW.scope_id IS NULL)
    EXECUTE FUNCTION reference_generation_bump();
CREATE TRIGGER rows_reference_update AFTER UPDATE ON rows FOR EACH ROW
    WHEN (OLD.scope_id IS NULL OR NEW.scope_id IS NULL) EXECUTE FUNCTION reference_generation_bump();
CREATE TRIGGER rows_reference_delete AFTER DELETE ON rows FOR EACH ROW WHEN (OLD.scope_id IS NULL)
    EXECUTE FUNCTION reference_generation_bump();
CREATE TRIGGER rows_reference_truncate AFTER TRUNCATE ON rows FOR EACH STATEMENT
    EXECUTE FUNCTION reference_generation_bump();
