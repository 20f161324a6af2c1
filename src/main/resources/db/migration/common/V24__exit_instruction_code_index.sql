-- Issue 12's trailing mark: every exit instruction wrote five index entries (its id, seq, trade, code and the row
-- itself). Nothing riskgate runs looks instructions up by code (the trade view reads them by trade, the outstanding
-- CLOSE by trade); the index by code only cost each insert and its pages. Someone who queries instructions by code
-- in SQL can create it again (docs/operations.md).
DROP INDEX exit_instruction_code;
