-- 0015: audit anchors. Each sync, a laptop sends the head of its hash-chained audit (the number of
-- entries and the last entry's hash) with proof that it still holds the head it sent last time; the
-- server keeps every anchor and every break in that chain of proofs (server/audit_anchor.py).

CREATE TABLE audit_anchors (
    id           bigserial PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id),
    device_id    text NOT NULL,
    entries      bigint NOT NULL CHECK (entries >= 0),
    head         text NOT NULL CHECK (head ~ '^[0-9a-f]{64}$'),
    received_at  timestamptz NOT NULL
);
CREATE INDEX audit_anchors_device ON audit_anchors (user_id, device_id, id);

CREATE TABLE audit_anchor_incidents (
    id                bigserial PRIMARY KEY,
    user_id           uuid NOT NULL REFERENCES users (id),
    device_id         text NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('truncated', 'reforged', 'unproven')),
    anchored_entries  bigint NOT NULL,
    anchored_head     text NOT NULL,
    sent_entries      bigint NOT NULL,
    sent_head         text NOT NULL,
    at                timestamptz NOT NULL
);
CREATE INDEX audit_anchor_incidents_device ON audit_anchor_incidents (user_id, device_id, id);
