-- The last group-commit batch H2 holds (issue 12's journal). It is written in the batch's own transaction, so after
-- a crash the journal's batches past it are the ones H2 lost, and only those are replayed.
CREATE TABLE journal_mark (
    id   INT    PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL
);
INSERT INTO journal_mark (id, seq) VALUES (1, 0);
