-- The API's live feed reads "candles written since" every few hundred milliseconds to push resolved
-- predictions; without this index that read would scan the whole table each time.
CREATE INDEX candles_ingested_at_idx ON candles (ingested_at);
