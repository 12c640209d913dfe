-- 0002: administrators, sign-in throttling, the cursor signing key, allocation times on the server clock,
-- and the reference data (teams, staff, cover) published as rows every laptop pulls.

ALTER TABLE users ADD COLUMN is_admin boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN disabled_at timestamptz;

-- Failed sign-ins, counted per username and per client address over a sliding window (server/auth.py).
CREATE TABLE login_failures (
    id        bigserial PRIMARY KEY,
    at        timestamptz NOT NULL,
    username  text NOT NULL,
    address   text NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (username, at);
CREATE INDEX login_failures_address ON login_failures (address, at);

-- Secrets the server keeps for itself (the pull-cursor signing key). 32 random bytes from two v4 UUIDs.
CREATE TABLE server_keys (
    name  text PRIMARY KEY,
    key   bytea NOT NULL
);
INSERT INTO server_keys (name, key) VALUES
    ('cursor', decode(md5(gen_random_uuid()::text) || md5(gen_random_uuid()::text), 'hex'));

-- Allocation changes carry the server clock's time (the de-allocation grace window is measured from it).
ALTER TABLE allocation_history ALTER COLUMN changed_at DROP DEFAULT;
CREATE INDEX allocation_history_case ON allocation_history (case_id, changed_at);
CREATE INDEX covers_covered_user ON covers (covered_user_id);

-- Change ids belong to one user and device: the dedupe lookup and the quarantine are keyed by both.
CREATE INDEX ops_owner ON ops (user_id, device_id);
