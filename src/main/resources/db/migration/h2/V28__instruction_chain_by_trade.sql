-- Issue 12's trailing mark. An index of exit instructions by trade takes a mark's 1,000 instructions into 1,000
-- different leaves, each written whole at H2's next store. Instead, each instruction names the one before it on its
-- trade (prev_seq) and the trade row its latest (last_instruction_seq): the trade row is written anyway whenever an
-- instruction is issued for it, and a trade's instructions are read by walking back by seq, whose index only
-- appends (ExitLog.forTrade, latestClose). Filled here for the instructions already stored, while the index by trade
-- is still there to find them.
ALTER TABLE trade ADD COLUMN last_instruction_seq BIGINT;
UPDATE trade t SET last_instruction_seq = (SELECT MAX(e.seq) FROM exit_instruction e WHERE e.trade_id = t.id);
ALTER TABLE exit_instruction ADD COLUMN prev_seq BIGINT;
UPDATE exit_instruction e SET prev_seq = (SELECT MAX(p.seq) FROM exit_instruction p WHERE p.trade_id = e.trade_id
    AND p.seq < e.seq);
-- H2 keeps an index of its own for a foreign key, here the last index by trade: the column is made again without the
-- foreign key (H2 drops a column's single-column constraints and their indexes with it; the constraint's name is
-- H2's own). An instruction is written only for a trade the same unit writes.
ALTER TABLE exit_instruction ADD COLUMN trade_ref VARCHAR(36);
UPDATE exit_instruction SET trade_ref = trade_id;
ALTER TABLE exit_instruction DROP COLUMN trade_id;
ALTER TABLE exit_instruction ALTER COLUMN trade_ref RENAME TO trade_id;
ALTER TABLE exit_instruction ALTER COLUMN trade_id SET NOT NULL;
