-- 0001: users, teams, allocation, cover, the generic row store, the op log, conflicts, quarantine.

CREATE TABLE teams (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id             uuid PRIMARY KEY,
    username       text NOT NULL UNIQUE,
    display_name   text NOT NULL,
    role           text NOT NULL CHECK (role IN ('social_worker', 'team_manager', 'senior_manager',
                                                 'register_custodian', 'admin_staff')),
    team_id        uuid REFERENCES teams (id),
    password_hash  text NOT NULL,
    active         boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a bearer token is stored: a database leak yields no usable token.
CREATE TABLE tokens (
    token_hash  bytea PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id),
    device_id   text,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX tokens_user ON tokens (user_id);

-- Allocation: the unit of scope. A case is known to the server once allocated (CLI) or first pushed.
CREATE TABLE cases (
    case_id     uuid PRIMARY KEY,
    team_id     uuid REFERENCES teams (id),
    worker_id   uuid REFERENCES users (id),
    case_type   text NOT NULL DEFAULT 'child_protection',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cases_team ON cases (team_id);
CREATE INDEX cases_worker ON cases (worker_id);

CREATE TABLE allocation_history (
    id          bigserial PRIMARY KEY,
    case_id     uuid NOT NULL,
    team_id     uuid,
    worker_id   uuid,
    case_type   text NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    changed_by  text NOT NULL
);

-- cover_user covers covered_user's caseload on local (Europe/London) dates starts_on..ends_on inclusive.
CREATE TABLE covers (
    id               uuid PRIMARY KEY,
    cover_user_id    uuid NOT NULL REFERENCES users (id),
    covered_user_id  uuid NOT NULL REFERENCES users (id),
    starts_on        date NOT NULL,
    ends_on          date NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on >= starts_on),
    CHECK (cover_user_id <> covered_user_id)
);
CREATE INDEX covers_cover_user ON covers (cover_user_id);

-- The change sequence. Values are taken only while holding the change-log advisory lock, and the lock
-- is held until commit, so sequence order is commit order (see server/rowstore.py).
CREATE SEQUENCE change_seq;

-- Every synced row of every entity, as JSON. scope_id is the unit of scope the row belongs to:
-- its case_id, else its person (a person row's own id, or the person_id it carries), else NULL
-- (reference data, visible to every authenticated user).
CREATE TABLE rows (
    entity       text NOT NULL,
    id           uuid NOT NULL,
    case_id      uuid,
    person_id    uuid,
    scope_id     uuid,
    data         jsonb NOT NULL,
    field_meta   jsonb NOT NULL,     -- {field: {"v": version, "by": user, "dev": device, "at": iso}}
    version      bigint NOT NULL,    -- = seq of the row's last change
    seq          bigint NOT NULL,
    deleted      boolean NOT NULL DEFAULT false,
    append_only  boolean NOT NULL DEFAULT false,
    created_by   uuid,
    created_at   timestamptz NOT NULL,
    updated_by   uuid,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (entity, id)
);
CREATE UNIQUE INDEX rows_seq ON rows (seq);
CREATE INDEX rows_scope_seq ON rows (scope_id, seq);
CREATE INDEX rows_member_case ON rows (case_id) WHERE entity = 'case_member';
CREATE INDEX rows_member_person ON rows (person_id) WHERE entity = 'case_member';
CREATE INDEX rows_person_creator ON rows (created_by) WHERE entity = 'person';

-- Every op applied (or turned into a conflict), once: the dedupe set and the field-level audit trail.
CREATE TABLE ops (
    op_id        uuid PRIMARY KEY,
    user_id      uuid NOT NULL,
    device_id    text NOT NULL,
    entity       text NOT NULL,
    entity_id    uuid NOT NULL,
    case_id      uuid,
    kind         text NOT NULL,
    status       text NOT NULL CHECK (status IN ('applied', 'conflict')),
    seq          bigint,
    payload      jsonb NOT NULL,
    result       jsonb NOT NULL,
    received_at  timestamptz NOT NULL
);
CREATE INDEX ops_row ON ops (entity, entity_id);

CREATE TABLE conflicts (
    id                 uuid PRIMARY KEY,
    entity             text NOT NULL,
    entity_id          uuid NOT NULL,
    case_id            uuid,
    scope_id           uuid,
    field              text NOT NULL,   -- a field name, or '_row' for edit-vs-delete
    server_value       jsonb,
    server_by          uuid,
    server_device      text,
    server_at          timestamptz,
    server_version     bigint,
    client_value       jsonb,
    client_by          uuid,
    client_device      text,
    client_local_time  text,
    client_op_id       uuid NOT NULL,
    received_at        timestamptz NOT NULL,
    status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution         jsonb,
    resolved_by        uuid,
    resolved_at        timestamptz
);
CREATE INDEX conflicts_open_scope ON conflicts (scope_id) WHERE status = 'open';
CREATE INDEX conflicts_row ON conflicts (entity, entity_id);

-- Ops the server refused (out of scope, append-only violations, ...): kept for a supervisor, never dropped.
CREATE TABLE quarantine (
    op_id              uuid PRIMARY KEY,
    user_id            uuid NOT NULL,
    device_id          text NOT NULL,
    entity             text NOT NULL,
    entity_id          uuid NOT NULL,
    case_id            uuid,
    reason             text NOT NULL,
    message            text NOT NULL,
    payload            jsonb NOT NULL,
    attempts           integer NOT NULL DEFAULT 1,
    first_received_at  timestamptz NOT NULL,
    last_received_at   timestamptz NOT NULL,
    status             text NOT NULL DEFAULT 'open'
);
CREATE INDEX quarantine_user ON quarantine (user_id);

CREATE TABLE audit (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL,
    actor   uuid,
    action  text NOT NULL,
    detail  jsonb NOT NULL
);

-- Immutable, content-addressed sets of scope units referenced from pull cursors (server/pull.py).
CREATE TABLE scope_snapshots (
    id          text PRIMARY KEY,
    cases       uuid[] NOT NULL,
    persons     uuid[] NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
