package io.vencflow.operators;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.Frame;
import io.vencflow.operators.internal.AccessUnitKeySelector;
import io.vencflow.operators.internal.KeyedDecoderFunction;
import io.vencflow.operators.serialization.RecordTypeInfo;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Decodes a stream of access units back to I420 frames for analytics: {@code
 * VideoDecoding.decode(encoded)} keys by channel, runs one decoder per channel, and gives the frames in
 * display order, each with the channel, sequence and capture time of its access unit.
 *
 * <p>A channel is decoded from its first IDR on; what comes before it is skipped (counted in {@code
 * skippedBeforeIdr}). The access units of a channel must arrive in decoding order (as {@link
 * VideoEncoding} emits them). The operator gets the uid {@value #UID}.
 */
public final class VideoDecoding {
    /** The decoder operator's default uid. */
    public static final String UID = "vencflow-decode";

    private VideoDecoding() {
    }

    /** Decodes with libavcodec where its natives load, else JCodec (H.264 only). */
    public static SingleOutputStreamOperator<Frame> decode(DataStream<EncodedFrame> accessUnits) {
        return decode(accessUnits, Backend.AUTO);
    }

    /**
     * Decodes on {@code backend}.
     *
     * @throws IllegalArgumentException when the stream is not typed {@link VideoTypes#ENCODED_FRAME}
     */
    public static SingleOutputStreamOperator<Frame> decode(DataStream<EncodedFrame> accessUnits, Backend backend) {
        Objects.requireNonNull(accessUnits, "accessUnits");
        Objects.requireNonNull(backend, "backend");
        if (!(accessUnits.getType() instanceof RecordTypeInfo<?> t) || t.getTypeClass() != EncodedFrame.class) {
            throw new IllegalArgumentException("the access unit stream is typed " + accessUnits.getType()
                    + "; expected VideoTypes.ENCODED_FRAME (give it to the source, or .returns(VideoTypes.ENCODED_FRAME)"
                    + " after a map), else Flink would ship access units through Kryo");
        }
        return accessUnits.keyBy(new AccessUnitKeySelector(), Types.STRING)
                .process(new KeyedDecoderFunction(backend), VideoTypes.FRAME)
                .name("vencflow decode")
                .uid(UID);
    }
}
