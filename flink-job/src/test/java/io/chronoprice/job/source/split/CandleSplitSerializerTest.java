package io.chronoprice.job.source.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class CandleSplitSerializerTest {
    private final CandleSplitSerializer serializer = new CandleSplitSerializer();

    @Test
    void aFreshUnboundedSplitSurvivesARoundTrip() throws IOException {
        CandleSplit split = new CandleSplit("binance", "BTCUSDT", "1m", CandleSplit.NONE_EMITTED, CandleSplit.NO_END);

        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(split)))
                .isEqualTo(split)
                .satisfies(s -> assertThat(s.splitId()).isEqualTo("binance:BTCUSDT:1m"));
    }

    @Test
    void aSplitWithProgressAndAnEndSurvivesARoundTrip() throws IOException {
        CandleSplit split = new CandleSplit("coinbase", "BTC-USD", "1h", 1_620_950_400_000L, 1_621_540_800_000L);

        assertThat(serializer.deserialize(CandleSplitSerializer.CURRENT_VERSION, serializer.serialize(split)))
                .isEqualTo(split);
    }

    @Test
    void anUnknownVersionIsRejectedWithAClearMessage() throws IOException {
        byte[] bytes = serializer.serialize(new CandleSplit("binance", "ETHUSDT", "5m", 0L, CandleSplit.NO_END));

        assertThatThrownBy(() -> serializer.deserialize(CandleSplitSerializer.CURRENT_VERSION + 1, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version " + (CandleSplitSerializer.CURRENT_VERSION + 1))
                .hasMessageContaining("reads version " + CandleSplitSerializer.CURRENT_VERSION);
    }

    @Test
    void theSplitStateConvertsBackToASplitWithItsProgress() {
        CandleSplit split = new CandleSplit("binance", "BTCUSDT", "1m", CandleSplit.NONE_EMITTED, 42L);
        CandleSplitState state = new CandleSplitState(split);

        state.setLastEmittedOpenTimeMs(1_620_950_400_000L);

        assertThat(state.toSplit()).isEqualTo(new CandleSplit("binance", "BTCUSDT", "1m", 1_620_950_400_000L, 42L));
    }
}
