-- Issue 12's disk bound (2 KB a decision): a decision's JSON is about 2,000 characters of the 2,100 bytes a decision
-- took after compaction. Decisions recorded from V26 on keep it DEFLATE-compressed in decision_json_z (raw DEFLATE of
-- its UTF-8 text, about half the size) and decision_json NULL; decisions recorded before keep their text. Whichever
-- holds it, the hash chain covers the text (AuditChain), so records of both kinds verify alike.
ALTER TABLE decision ADD COLUMN decision_json_z BYTEA;
ALTER TABLE decision ALTER COLUMN decision_json DROP NOT NULL;
