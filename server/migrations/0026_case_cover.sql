-- 0026: cover of one case (a manager's "Assign cover" for a case on the laptop, server/manager_changes.py).
--
-- A cover with a case_id covers that case only (whoever it is allocated to), as the laptop reads it
-- (desktop/services/scope.py); without one, the covered worker's whole caseload, as before. The covered
-- worker is then optional (the laptop may name nobody: the case is what is covered).
ALTER TABLE covers ADD COLUMN case_id uuid;
ALTER TABLE covers ALTER COLUMN covered_user_id DROP NOT NULL;
ALTER TABLE covers ADD CONSTRAINT covers_whose CHECK (covered_user_id IS NOT NULL OR case_id IS NOT NULL);
CREATE INDEX covers_case ON covers (case_id) WHERE case_id IS NOT NULL;
