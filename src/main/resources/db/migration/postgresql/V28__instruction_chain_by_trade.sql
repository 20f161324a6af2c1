-- Issue 12's trailing mark. An index of exit instructions by trade takes a mark's 1,000 instructions into 1,000
-- different leaves. Instead, each instruction names the one before it on its trade (prev_seq) and the trade row its
-- latest (last_instruction_seq): the trade row is written anyway whenever an instruction is issued for it, and a
-- trade's instructions are read by walking back by seq (ExitLog.forTrade, latestClose). Filled here for the
-- instructions already stored, while the index by trade is still there to find them. PostgreSQL makes no index for
-- the foreign key to trade, which stays.
ALTER TABLE trade ADD COLUMN last_instruction_seq BIGINT;
UPDATE trade t SET last_instruction_seq = (SELECT MAX(e.seq) FROM exit_instruction e WHERE e.trade_id = t.id);
ALTER TABLE exit_instruction ADD COLUMN prev_seq BIGINT;
UPDATE exit_instruction e SET prev_seq = (SELECT MAX(p.seq) FROM exit_instruction p WHERE p.trade_id = e.trade_id
    AND p.seq < e.seq);
DROP INDEX exit_instruction_trade;
