package io.chronoprice.job.window;

import io.chronoprice.job.candle.Candle;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a window's series (exchange, symbol, interval) once and then its candles' numbers. In a live job every
 * window crosses the network to the scoring operator, which Flink cannot chain to the window operator (it has the
 * registry as a second input); the generic record serializer, which writes three strings per candle and builds each
 * record by reflection, was the job's largest cost outside ONNX Runtime.
 */
public final class CandleWindowSerializer extends TypeSerializerSingleton<CandleWindow> {

    public static final CandleWindowSerializer INSTANCE = new CandleWindowSerializer();

    private static final Candle[] NONE = new Candle[0];

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public CandleWindow createInstance() {
        return new CandleWindow(NONE);
    }

    @Override
    public CandleWindow copy(CandleWindow from) {
        // Candles are immutable records: a copy of the array is a copy of the window.
        return new CandleWindow(from.candles().clone());
    }

    @Override
    public CandleWindow copy(CandleWindow from, CandleWindow reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(CandleWindow window, DataOutputView target) throws IOException {
        Candle[] candles = window.candles();
        target.writeInt(candles.length);
        if (candles.length == 0) {
            return;
        }
        Candle first = candles[0];
        target.writeUTF(first.exchange());
        target.writeUTF(first.symbol());
        target.writeUTF(first.interval());
        for (Candle c : candles) {
            if (!c.exchange().equals(first.exchange())
                    || !c.symbol().equals(first.symbol())
                    || !c.interval().equals(first.interval())) {
                throw new IOException("A window mixes series: " + first.seriesKey() + " and " + c.seriesKey());
            }
            target.writeLong(c.openTimeMs());
            target.writeDouble(c.open());
            target.writeDouble(c.high());
            target.writeDouble(c.low());
            target.writeDouble(c.close());
            target.writeDouble(c.volume());
            target.writeInt(c.missingBefore());
        }
    }

    @Override
    public CandleWindow deserialize(DataInputView source) throws IOException {
        int length = source.readInt();
        if (length == 0) {
            return new CandleWindow(NONE);
        }
        String exchange = source.readUTF();
        String symbol = source.readUTF();
        String interval = source.readUTF();
        Candle[] candles = new Candle[length];
        for (int i = 0; i < length; i++) {
            candles[i] = new Candle(
                    exchange,
                    symbol,
                    interval,
                    source.readLong(),
                    source.readDouble(),
                    source.readDouble(),
                    source.readDouble(),
                    source.readDouble(),
                    source.readDouble(),
                    source.readInt());
        }
        return new CandleWindow(candles);
    }

    @Override
    public CandleWindow deserialize(CandleWindow reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<CandleWindow> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration: any version of it reads what any other wrote. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CandleWindow> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
