-- Issue 12's trailing mark. On H2, exit_instruction had two indexes by trade: exit_instruction_trade (trade_id,
-- issued_at), created by V4, and the index H2 made for the foreign key to trade (trade_id). A mark that issues an
-- instruction for each of 1,000 trades puts an entry into 1,000 different leaves of each (every trade's range of the
-- index), and H2 writes each such leaf whole at its next store: two such indexes were about a quarter of a trailing
-- mark's time (MarkBenchmark, docs/performance.md). The foreign key's index serves the look-ups by trade
-- (ExitLog.forTrade, latestClose: a trade's few instructions, sorted after); the other one goes. PostgreSQL makes no
-- index for a foreign key, so there exit_instruction_trade is the one index by trade and stays.
DROP INDEX exit_instruction_trade;
