package io.chronoprice.job.source.exchange;

/** One rejected candle row: the reason and enough context (the row as served) to find it in a log. */
public record Rejection(RejectReason reason, String detail) {}
