-- On H2, V27 drops exit_instruction_trade, one of the two indexes by trade H2 had there (the other is the one H2 made
-- for the foreign key to trade). PostgreSQL makes no index for a foreign key: exit_instruction_trade is its one index
-- by trade and stays.
SELECT 1;
