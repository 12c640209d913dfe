-- 0023: field versions kept compactly, and the op log storing each change once (issue 22, the push).
--
-- rows.field_meta was an object per field {"v", "by", "dev", "at"}: most of a visit row's bytes, and a
-- third of PostgreSQL's work for the row. It is now {"f": {field: [version, w]}, "w": [[by, dev, at], ...]}:
-- each distinct writer (user, device, time) once, each field its version and its writer's index
-- (server/rowstore.py pack_meta/unpack_meta). Who wrote which field when is answered as before.
--
-- ops.payload held the whole op as sent and ops.result the whole answer, both repeating the op's own
-- columns. They now hold only what the columns do not: payload without op_id, entity, entity_id, case_id,
-- kind, actor (= user_id) and device_id; result without op_id, status and version (= seq). An append-only
-- insert applied as sent (a visit, a note: the row can never change afterwards) keeps its values once, in
-- the row: its payload says "fields_in_row" and keeps only the id-like keys the row does not hold, and its
-- result leaves out applied_fields (the row's keys). The view op_log gives every op as sent and its answer
-- whole, as the columns held them before; a duplicate push is answered from it (server/apply.py).

-- Field versions: each row's writers in the order of their first field (C collation), then the fields.
-- Only field_meta changes, so issue 21's visit-facts trigger (which reads data and deleted) is left out of
-- this one rewrite of every row instead of working out each visit's facts again to the same values.
ALTER TABLE rows DISABLE TRIGGER rows_visit_facts;
WITH f AS (
    SELECT r.entity, r.id, e.key, e.value -> 'v' AS v,
           jsonb_build_array(e.value -> 'by', e.value -> 'dev', e.value -> 'at') AS who
    FROM rows r CROSS JOIN LATERAL jsonb_each(r.field_meta) AS e
    WHERE jsonb_typeof(e.value) = 'object'
),
w AS (
    SELECT entity, id, who,
           row_number() OVER (PARTITION BY entity, id ORDER BY min(key COLLATE "C")) - 1 AS i
    FROM f GROUP BY entity, id, who
),
packed AS (
    SELECT f.entity, f.id, jsonb_object_agg(f.key, jsonb_build_array(f.v, w.i)) AS fields
    FROM f JOIN w USING (entity, id, who) GROUP BY f.entity, f.id
),
writers AS (
    SELECT entity, id, jsonb_agg(who ORDER BY i) AS list FROM w GROUP BY entity, id
)
UPDATE rows r SET field_meta = jsonb_build_object('f', p.fields, 'w', wr.list)
FROM packed p JOIN writers wr USING (entity, id)
WHERE r.entity = p.entity AND r.id = p.id;
ALTER TABLE rows ENABLE TRIGGER rows_visit_facts;

-- The op log: a key leaves the JSON only where its column holds exactly the same value.
UPDATE ops SET
    payload = payload - coalesce((
        SELECT array_agg(c.k) FROM (VALUES
            ('op_id', to_jsonb(ops.op_id)), ('entity', to_jsonb(ops.entity)),
            ('entity_id', to_jsonb(ops.entity_id)), ('case_id', coalesce(to_jsonb(ops.case_id), 'null'::jsonb)),
            ('kind', to_jsonb(ops.kind)), ('actor', to_jsonb(ops.user_id)), ('device_id', to_jsonb(ops.device_id))
        ) AS c(k, v) WHERE ops.payload -> c.k = c.v), '{}'::text[]),
    result = result - coalesce((
        SELECT array_agg(c.k) FROM (VALUES
            ('op_id', to_jsonb(ops.op_id)), ('status', to_jsonb(ops.status)), ('version', to_jsonb(ops.seq))
        ) AS c(k, v) WHERE ops.result -> c.k = c.v), '{}'::text[]);

-- Every op as sent and its answer, whole (what payload and result held before this migration).
CREATE VIEW op_log AS
SELECT o.op_id, o.user_id, o.device_id, o.entity, o.entity_id, o.case_id, o.kind, o.status, o.seq,
       o.received_at,
       jsonb_build_object('op_id', o.op_id, 'entity', o.entity, 'entity_id', o.entity_id, 'case_id', o.case_id,
                          'kind', o.kind, 'actor', o.user_id, 'device_id', o.device_id)
         || (o.payload - 'fields_in_row')
         || CASE WHEN o.payload ? 'fields_in_row'
                 THEN jsonb_build_object('fields', r.data || coalesce(o.payload -> 'fields', '{}'::jsonb))
                 ELSE '{}'::jsonb END AS payload,
       jsonb_build_object('op_id', o.op_id, 'status', o.status)
         || CASE WHEN o.seq IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('version', o.seq) END
         || CASE WHEN o.payload ? 'fields_in_row'
                 THEN jsonb_build_object('applied_fields', coalesce(
                          (SELECT jsonb_agg(k ORDER BY k COLLATE "C") FROM jsonb_object_keys(r.data) AS k),
                          '[]'::jsonb))
                 ELSE '{}'::jsonb END
         || o.result AS result
FROM ops o
LEFT JOIN rows r ON o.payload ? 'fields_in_row' AND r.entity = o.entity AND r.id = o.entity_id;
