-- Every candle and prediction written kept an index on (symbol, time) up to date that only one read used: the
-- API's check whether a symbol is known on any exchange. That check now skips through the exchanges of the
-- primary keys, and runs only when a series returned no rows (SymbolRepository). Every other read names the
-- exchange and so walks the primary key. Dropping them took 15 % off PostgreSQL's CPU in a backtest (BENCHMARKS.md).
DROP INDEX candles_symbol_open_time_idx;
DROP INDEX predictions_symbol_target_idx;
