-- 0027: an index nothing reads, dropped (issue 22, the push: PostgreSQL's CPU per change).
--
-- ops_owner (user_id, device_id), from 0002, was made for the dedupe lookup; that lookup has always gone
-- by op_id, the primary key (server/apply.py, SEEN_SQL: the owner is compared in Python once the op is
-- found), and no other statement of the server reads the op log by its owner. Every push paid for it:
-- one more B-tree entry per op, a text and a uuid. What remains on the op log is read: ops_pkey (the
-- dedupe, every push) and ops_entity_id (a row's history: who changed which field, when).
DROP INDEX ops_owner;
