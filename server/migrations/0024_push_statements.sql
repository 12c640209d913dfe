-- 0024: what each row a push writes costs PostgreSQL (issue 22, the push).
--
-- Measured statement by statement (pg_stat_statements, and EXPLAIN ANALYZE of a push's 250-row insert,
-- best of 15, docs/sync-protocol.md §5.3): the row insert cost 5.0–5.4 ms, of which issue 21's
-- visit-facts trigger 1.5–1.9 ms — a PL/pgSQL call per visit row, each an UPDATE of visit_child_facts
-- by the visit's id. Kept by one statement-level trigger now, each INSERT or UPDATE of rows working its
-- whole set of changed rows (the transition table) in three set-based statements: 4.0 ms in all. What
-- the typed table holds is unchanged (the same values, in the same transaction as the rows), and a row
-- deleted outright is still handled a row at a time by figures_visit_facts (0022).
--
-- The op log's index by row, ops_row (entity, entity_id), cost 0.85 of the op-log insert's 2.2 ms for
-- 250 ops; by the row's id alone (a UUID: an entity name adds nothing to tell rows apart) 0.4 ms. Who
-- changed a row, which fields and when, is still found through it: WHERE entity_id = $1 AND entity = $2.

CREATE FUNCTION figures_visit_facts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A child's row deleted (the flag): it reads nothing.
    DELETE FROM visit_child_facts f USING changed n
    WHERE n.entity = 'cp_visit_child' AND n.deleted AND f.id = n.id;
    -- A child's row written: its values, and its visit's as the row store holds it now (the visit may be
    -- in this very statement: an AFTER trigger sees the statement's rows).
    INSERT INTO visit_child_facts (id, case_id, visit_id, visit_ref, person_id, seen_alone, seen_at_home,
                                   visited_on, access_denied)
    SELECT n.id, n.case_id, n.data->>'visit_id', figures_uuid(n.data->>'visit_id'),
           n.data->>'person_id', figures_int(n.data->>'seen_alone'),
           figures_int(n.data->>'seen_at_home'), v.data->>'visited_on',
           figures_int(v.data->>'access_denied')
    FROM changed n
    LEFT JOIN rows v ON v.entity = 'cp_visit' AND v.id = figures_uuid(n.data->>'visit_id') AND NOT v.deleted
    WHERE n.entity = 'cp_visit_child' AND NOT n.deleted
    ON CONFLICT (id) DO UPDATE SET case_id = EXCLUDED.case_id, visit_id = EXCLUDED.visit_id,
        visit_ref = EXCLUDED.visit_ref, person_id = EXCLUDED.person_id,
        seen_alone = EXCLUDED.seen_alone, seen_at_home = EXCLUDED.seen_at_home,
        visited_on = EXCLUDED.visited_on, access_denied = EXCLUDED.access_denied;
    -- A visit written: its children's rows read its day and access (nothing once it is deleted).
    UPDATE visit_child_facts f
    SET visited_on = CASE WHEN n.deleted THEN NULL ELSE n.data->>'visited_on' END,
        access_denied = CASE WHEN n.deleted THEN NULL ELSE figures_int(n.data->>'access_denied') END
    FROM changed n
    WHERE n.entity = 'cp_visit' AND f.visit_ref = n.id
      AND (NOT n.deleted OR f.visited_on IS NOT NULL OR f.access_denied IS NOT NULL);
    RETURN NULL;
END
$$;

-- As 0022: every statement above is a lookup by key, never a scan of a table grown large.
ALTER FUNCTION figures_visit_facts_changed() SET enable_seqscan = off;

DROP TRIGGER rows_visit_facts ON rows;
-- A transition table serves one event per trigger: two triggers, one function.
CREATE TRIGGER rows_visit_facts_inserted AFTER INSERT ON rows REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION figures_visit_facts_changed();
CREATE TRIGGER rows_visit_facts_updated AFTER UPDATE ON rows REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION figures_visit_facts_changed();

DROP INDEX ops_row;
CREATE INDEX ops_entity_id ON ops (entity_id);
