package io.vencflow.operators;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.Frame;
import io.vencflow.operators.serialization.RecordTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Flink type information for vencflow's records. Give these to every source, map and sink that
 * produces frames or access units ({@code env.fromSource(source, watermarks, name, VideoTypes.FRAME)},
 * {@code .returns(VideoTypes.ENCODED_FRAME)}): Flink cannot infer them and would fall back to Kryo,
 * which {@link VideoEncoding} refuses. Each comes with a versioned serializer, so state and
 * savepoints that hold these records restore in later vencflow versions.
 */
public final class VideoTypes {
    /** {@link Frame}: raw pictures. */
    public static final TypeInformation<Frame> FRAME = RecordTypeInfo.frame();

    /** {@link EncodedFrame}: access units. */
    public static final TypeInformation<EncodedFrame> ENCODED_FRAME = RecordTypeInfo.encodedFrame();

    /** {@link RejectedFrame}: frames the encoder refused, with the reason. */
    public static final TypeInformation<RejectedFrame> REJECTED_FRAME = RecordTypeInfo.rejectedFrame();

    private VideoTypes() {
    }
}
