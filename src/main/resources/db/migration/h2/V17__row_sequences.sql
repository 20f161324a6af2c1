-- Nothing to change on H2: one process writes an H2 file, and RowIds counts its keys in that process. PostgreSQL's
-- form of this version gives kill_switch_event and lock_lift the identity sequences several instances draw from.
VALUES 1;
