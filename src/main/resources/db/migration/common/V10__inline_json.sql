-- Compact records (issue 12): the JSON written with every check, mark and governor measurement is stored in the row
-- (CHARACTER VARYING, up to 1,000,000 characters: a check request is at most 16 KB) instead of as a CLOB, which H2
-- keeps as a separate large object (its own map entries, written and later removed for every row, and for every
-- MERGE of governor_state). The policy archive's YAML and rule files stay CLOBs: rare, and possibly large.
ALTER TABLE decision ALTER COLUMN request_json SET DATA TYPE CHARACTER VARYING(1000000);
ALTER TABLE decision ALTER COLUMN decision_json SET DATA TYPE CHARACTER VARYING(1000000);
ALTER TABLE governor_state ALTER COLUMN state_json SET DATA TYPE CHARACTER VARYING(1000000);
ALTER TABLE exit_instruction ALTER COLUMN mark_json SET DATA TYPE CHARACTER VARYING(1000000);
ALTER TABLE exit_instruction ALTER COLUMN fired_json SET DATA TYPE CHARACTER VARYING(1000000);
ALTER TABLE emergency_instruction ALTER COLUMN trade_ids SET DATA TYPE CHARACTER VARYING(1000000);
ALTER TABLE governor_event ALTER COLUMN data_json SET DATA TYPE CHARACTER VARYING(1000000);
