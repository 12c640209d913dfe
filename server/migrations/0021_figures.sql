-- 0021: authority-wide figures (issue 21). A "performance officer" reads the council's figures and
-- writes the statistical returns, never casework; the returns' pseudonymous identifiers are keyed with a
-- secret the server keeps for itself.

ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('social_worker', 'team_manager',
    'senior_manager', 'register_custodian', 'admin_staff', 'performance_officer'));

-- HMAC-SHA256 key for the returns' child and adult identifiers (server/returns.py): 32 random bytes,
-- kept like the cursor key. The same person gets the same identifier in every return from this server.
INSERT INTO server_keys (name, key) VALUES
    ('returns', decode(md5(gen_random_uuid()::text) || md5(gen_random_uuid()::text), 'hex'))
    ON CONFLICT (name) DO NOTHING;

