package io.chronoprice.job.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronoprice.job.source.split.CandleSplit;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandleEnumeratorStateSerializerTest {
    private final CandleEnumeratorStateSerializer serializer = new CandleEnumeratorStateSerializer();

    @Test
    void unassignedSplitsSurviveARoundTrip() throws IOException {
        CandleEnumeratorState state = new CandleEnumeratorState(List.of(
                new CandleSplit("binance", "BTCUSDT", "1m", CandleSplit.NONE_EMITTED, CandleSplit.END_AT_SERVER_TIME),
                new CandleSplit("binance", "ETHUSDT", "1m", 1_620_950_400_000L, CandleSplit.NO_END)));

        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state)))
                .isEqualTo(state);
    }

    @Test
    void anEmptyStateSurvivesARoundTrip() throws IOException {
        CandleEnumeratorState state = new CandleEnumeratorState(List.of());

        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state)))
                .isEqualTo(state);
    }

    @Test
    void anUnknownVersionIsRejectedWithAClearMessage() throws IOException {
        byte[] bytes = serializer.serialize(new CandleEnumeratorState(List.of()));

        assertThatThrownBy(() -> serializer.deserialize(7, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 7");
    }
}
