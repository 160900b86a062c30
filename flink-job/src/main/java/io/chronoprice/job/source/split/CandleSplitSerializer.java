package io.chronoprice.job.source.split;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Serializes {@link CandleSplit}s into checkpoints; version 1 writes the five fields in declaration order. */
public final class CandleSplitSerializer implements SimpleVersionedSerializer<CandleSplit> {
    public static final int CURRENT_VERSION = 1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(CandleSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    @Override
    public CandleSplit deserialize(int version, byte[] serialized) throws IOException {
        checkVersion(version, "CandleSplit");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(in);
        }
    }

    /** Writes one split; shared with the enumerator state serializer so both evolve together. */
    public static void write(CandleSplit split, DataOutputStream out) throws IOException {
        out.writeUTF(split.exchange());
        out.writeUTF(split.symbol());
        out.writeUTF(split.interval());
        out.writeLong(split.lastEmittedOpenTimeMs());
        out.writeLong(split.endTimeMs());
    }

    public static CandleSplit read(DataInputStream in) throws IOException {
        String exchange = in.readUTF();
        String symbol = in.readUTF();
        String interval = in.readUTF();
        long lastEmittedOpenTimeMs = in.readLong();
        long endTimeMs = in.readLong();
        return new CandleSplit(exchange, symbol, interval, lastEmittedOpenTimeMs, endTimeMs);
    }

    /** Rejects state written by an unknown (newer) serializer with a message that says what to do. */
    private static void checkVersion(int version, String what) throws IOException {
        if (version != CURRENT_VERSION) {
            throw new IOException("Cannot read " + what + " state of serializer version " + version
                    + "; this build reads version " + CURRENT_VERSION
                    + ". Restore with the version of ChronoPrice that wrote the checkpoint or savepoint.");
        }
    }
}
