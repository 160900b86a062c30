package io.chronoprice.job.source.enumerator;

import io.chronoprice.job.source.split.CandleSplit;
import io.chronoprice.job.source.split.CandleSplitSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Serializes {@link CandleEnumeratorState}: version 1 is a count followed by the splits in split format 1. */
public final class CandleEnumeratorStateSerializer implements SimpleVersionedSerializer<CandleEnumeratorState> {
    public static final int CURRENT_VERSION = 1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(CandleEnumeratorState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(state.unassignedSplits().size());
            for (CandleSplit split : state.unassignedSplits()) {
                CandleSplitSerializer.write(split, out);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public CandleEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != CURRENT_VERSION) {
            throw new IOException("Cannot read candle enumerator state of serializer version " + version
                    + "; this build reads version " + CURRENT_VERSION
                    + ". Restore with the version of ChronoPrice that wrote the checkpoint or savepoint.");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int count = in.readInt();
            if (count < 0) {
                throw new IOException("Corrupt candle enumerator state: negative split count " + count);
            }
            List<CandleSplit> splits = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                splits.add(CandleSplitSerializer.read(in));
            }
            return new CandleEnumeratorState(splits);
        }
    }
}
