package io.chronoprice.job.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.candle.Candle;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class CandleWindowSerializerTest {

    private static final CandleWindow REAL =
            ParityFixture.load(ParityFixture.V2).cases().get(0).window();

    @Test
    void flinkPicksTheCompactSerializerForEveryStreamOfWindows() {
        TypeSerializer<CandleWindow> serializer =
                TypeInformation.of(CandleWindow.class).createSerializer(new SerializerConfigImpl());

        assertThat(serializer).isSameAs(CandleWindowSerializer.INSTANCE);
    }

    @Test
    void aRealWindowComesBackEqualCandleByCandle() throws IOException {
        CandleWindow gapFirst = new CandleWindow(REAL.candles().clone());
        Candle first = gapFirst.candles()[0];
        gapFirst.candles()[0] = new Candle(
                first.exchange(),
                first.symbol(),
                first.interval(),
                first.openTimeMs(),
                first.open(),
                first.high(),
                first.low(),
                first.close(),
                first.volume(),
                7);

        for (CandleWindow window : new CandleWindow[] {REAL, gapFirst, new CandleWindow(new Candle[0])}) {
            CandleWindow back = roundTrip(window);
            assertThat(back.candles()).containsExactly(window.candles());
        }
    }

    @Test
    void theSeriesIsWrittenOnceSoAWindowIsAboutItsNumbers() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        CandleWindowSerializer.INSTANCE.serialize(REAL, out);

        // 60 candles x (8-byte time + 5 8-byte numbers + 4-byte gap count), plus the length and the names.
        assertThat(out.length()).isLessThan(REAL.candles().length * 52 + 64);
    }

    @Test
    void aWindowThatMixesSeriesIsRefusedRatherThanWrittenUnderOneName() {
        Candle[] candles = REAL.candles().clone();
        Candle last = candles[candles.length - 1];
        candles[candles.length - 1] = last.withExchange("coinbase");

        assertThatThrownBy(() -> roundTrip(new CandleWindow(candles)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("mixes series");
    }

    private static CandleWindow roundTrip(CandleWindow window) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        CandleWindowSerializer.INSTANCE.serialize(window, out);
        return CandleWindowSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
