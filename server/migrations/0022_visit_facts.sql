-- 0022: the children's visits in typed columns for the authority's figures (issue 21).
--
-- The committee report reads every child's part in every visit with the visit's day (two million rows in
-- a council). Out of the JSON row store that is a hash join of two JSON tables, most of the report's
-- time; here each live cp_visit_child row has one row of plain columns, the visit's day and access
-- already looked up. server/figures.py (ServerRows) reads it in place of the JSON.
--
-- Kept by triggers on `rows`, in the transaction that writes the row (a push's apply, or anything else
-- that writes rows), so it is never behind the row store and a snapshot sees both alike. The values are
-- those ServerRows read out of the JSON before (text as text; a JSON true/false as 1/0), so the figures
-- are the same; a value that is not an integer or an id reads as NULL rather than failing the push.

-- An integer column as a laptop's SQLite holds it: JSON true/false as 1/0.
CREATE FUNCTION figures_int(v text) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v = 'true' THEN 1 WHEN v = 'false' THEN 0
                WHEN v ~ '^-?[0-9]{1,18}$' THEN v::bigint END
$$;

-- An id as uuid, or NULL when it is not one.
CREATE FUNCTION figures_uuid(v text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v ~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$' THEN v::uuid END
$$;

CREATE TABLE visit_child_facts (
    id             uuid PRIMARY KEY,  -- the cp_visit_child row (live rows only)
    case_id        uuid,
    visit_id       text,              -- data->>'visit_id'
    visit_ref      uuid,              -- the same as uuid: the visit row looked up
    person_id      text,
    seen_alone     bigint,
    seen_at_home   bigint,
    visited_on     text,              -- the live visit's day, else NULL
    access_denied  bigint             -- the live visit's, else NULL
);
CREATE INDEX visit_child_facts_visit ON visit_child_facts (visit_ref);
CREATE INDEX visit_child_facts_case ON visit_child_facts (case_id);

CREATE FUNCTION figures_visit_facts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    gone boolean := TG_OP = 'DELETE' OR NEW.deleted;
    r_id uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
    r_entity text := CASE WHEN TG_OP = 'DELETE' THEN OLD.entity ELSE NEW.entity END;
BEGIN
    IF r_entity = 'cp_visit_child' THEN
        IF gone THEN
            DELETE FROM visit_child_facts WHERE id = r_id;
        ELSE
            INSERT INTO visit_child_facts (id, case_id, visit_id, visit_ref, person_id, seen_alone, seen_at_home,
                                           visited_on, access_denied)
            SELECT NEW.id, NEW.case_id, NEW.data->>'visit_id', figures_uuid(NEW.data->>'visit_id'),
                   NEW.data->>'person_id', figures_int(NEW.data->>'seen_alone'),
                   figures_int(NEW.data->>'seen_at_home'), v.data->>'visited_on',
                   figures_int(v.data->>'access_denied')
            FROM (SELECT 1) one
            LEFT JOIN rows v ON v.entity = 'cp_visit' AND v.id = figures_uuid(NEW.data->>'visit_id')
                             AND NOT v.deleted
            ON CONFLICT (id) DO UPDATE SET case_id = EXCLUDED.case_id, visit_id = EXCLUDED.visit_id,
                visit_ref = EXCLUDED.visit_ref, person_id = EXCLUDED.person_id,
                seen_alone = EXCLUDED.seen_alone, seen_at_home = EXCLUDED.seen_at_home,
                visited_on = EXCLUDED.visited_on, access_denied = EXCLUDED.access_denied;
        END IF;
    ELSIF gone THEN  -- a visit deleted: its children's rows look up nothing
        UPDATE visit_child_facts SET visited_on = NULL, access_denied = NULL
        WHERE visit_ref = r_id AND (visited_on IS NOT NULL OR access_denied IS NOT NULL);
    ELSE
        UPDATE visit_child_facts SET visited_on = NEW.data->>'visited_on',
                                     access_denied = figures_int(NEW.data->>'access_denied')
        WHERE visit_ref = r_id;
    END IF;
    RETURN NULL;
END
$$;

-- Every statement above is a lookup by key: a plan made while the tables were small must not scan them
-- once they are large (a bulk load through the trigger turned quadratic).
ALTER FUNCTION figures_visit_facts() SET enable_seqscan = off;

CREATE FUNCTION figures_visit_facts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE visit_child_facts;
    RETURN NULL;
END
$$;

CREATE TRIGGER rows_visit_facts AFTER INSERT OR UPDATE ON rows FOR EACH ROW
    WHEN (NEW.entity IN ('cp_visit', 'cp_visit_child')) EXECUTE FUNCTION figures_visit_facts();
CREATE TRIGGER rows_visit_facts_gone AFTER DELETE ON rows FOR EACH ROW
    WHEN (OLD.entity IN ('cp_visit', 'cp_visit_child')) EXECUTE FUNCTION figures_visit_facts();
CREATE TRIGGER rows_visit_facts_truncate AFTER TRUNCATE ON rows FOR EACH STATEMENT
    EXECUTE FUNCTION figures_visit_facts_truncate();

-- Backfill: the rows already held.
INSERT INTO visit_child_facts (id, case_id, visit_id, visit_ref, person_id, seen_alone, seen_at_home, visited_on,
                               access_denied)
SELECT c.id, c.case_id, c.data->>'visit_id', figures_uuid(c.data->>'visit_id'), c.data->>'person_id',
       figures_int(c.data->>'seen_alone'), figures_int(c.data->>'seen_at_home'), v.data->>'visited_on',
       figures_int(v.data->>'access_denied')
FROM rows c
LEFT JOIN rows v ON v.entity = 'cp_visit' AND v.id = figures_uuid(c.data->>'visit_id') AND NOT v.deleted
WHERE c.entity = 'cp_visit_child' AND NOT c.deleted
ORDER BY c.data->>'person_id', c.id;  -- each child's rows together: the figures group them by child
ANALYZE visit_child_facts;

-- The figures read the amendments of each append-only record type (rows whose amends_id is set: a few in
-- millions); without an index that is a scan of every visit's JSON.
CREATE INDEX rows_amendments ON rows (entity) WHERE data->>'amends_id' IS NOT NULL;
