package io.chronoprice.job.window;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's type information for {@link CandleWindow}: serialized by {@link CandleWindowSerializer}. */
public final class CandleWindowTypeInfo extends TypeInformation<CandleWindow> {

    /** Named on {@link CandleWindow} with {@code @TypeInfo}, so every stream of windows gets this type. */
    public static final class Factory extends TypeInfoFactory<CandleWindow> {
        @Override
        public TypeInformation<CandleWindow> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new CandleWindowTypeInfo();
        }
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<CandleWindow> getTypeClass() {
        return CandleWindow.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<CandleWindow> createSerializer(SerializerConfig config) {
        return CandleWindowSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "CandleWindow";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof CandleWindowTypeInfo;
    }

    @Override
    public int hashCode() {
        return CandleWindowTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof CandleWindowTypeInfo;
    }
}
