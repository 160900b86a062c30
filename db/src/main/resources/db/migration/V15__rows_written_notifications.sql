-- A notification on channel chronoprice_rows_written for every statement that writes candles, predictions or the
-- model registry, so that a reader keeping results computed from them (the API's /metrics/model reports) learns
-- when they may have changed, at commit, instead of recomputing them on a timer.
--
-- The payload is the exchange of the rows written (a backtest's rows carry their run's label in it), one per
-- distinct exchange of the statement; an empty payload means every exchange (a registry change, a TRUNCATE).
-- PostgreSQL folds identical notifications of a transaction into one and delivers them after its commit, so a
-- batch of many rows costs one notification per exchange, and a rolled-back write none. Moving rows into their
-- month's partition (V8) switches off the partitions' triggers and fires no statement trigger of the parent, which
-- is right: a move changes no result.
CREATE FUNCTION notify_rows_written() RETURNS trigger
    LANGUAGE plpgsql
AS
$$
BEGIN
    IF TG_OP = 'TRUNCATE' OR TG_TABLE_NAME = 'models' THEN
        PERFORM pg_notify('chronoprice_rows_written', '');
    ELSE
        PERFORM pg_notify('chronoprice_rows_written', w.exchange) FROM (SELECT DISTINCT exchange FROM changed) w;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER predictions_notify_inserted AFTER INSERT ON predictions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_rows_written();
CREATE TRIGGER predictions_notify_updated AFTER UPDATE ON predictions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_rows_written();
CREATE TRIGGER predictions_notify_deleted AFTER DELETE ON predictions
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_rows_written();
CREATE TRIGGER predictions_notify_truncated AFTER TRUNCATE ON predictions
    FOR EACH STATEMENT EXECUTE FUNCTION notify_rows_written();
CREATE TRIGGER candles_notify_inserted AFTER INSERT ON candles
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_rows_written();
CREATE TRIGGER candles_notify_updated AFTER UPDATE ON candles
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_rows_written();
CREATE TRIGGER candles_notify_deleted AFTER DELETE ON candles
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_rows_written();
CREATE TRIGGER candles_notify_truncated AFTER TRUNCATE ON candles
    FOR EACH STATEMENT EXECUTE FUNCTION notify_rows_written();
-- A report names each version's registry status.
CREATE TRIGGER models_notify_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON models
    FOR EACH STATEMENT EXECUTE FUNCTION notify_rows_written();
