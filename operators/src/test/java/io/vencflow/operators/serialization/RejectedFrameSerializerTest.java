package io.vencflow.operators.serialization;

import io.vencflow.core.frame.PixelFormat;
import io.vencflow.operators.RejectedFrame;
import io.vencflow.operators.testing.Records;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer test battery over rejected frames. */
class RejectedFrameSerializerTest extends SerializerTestBase<RejectedFrame> {

    RejectedFrameSerializerTest() {
        super(Records.checker());
    }

    @Override
    protected TypeSerializer<RejectedFrame> createSerializer() {
        return new RejectedFrameSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<RejectedFrame> getTypeClass() {
        return RejectedFrame.class;
    }

    @Override
    protected RejectedFrame[] getTestData() {
        return new RejectedFrame[] {
            new RejectedFrame(Records.randomFrame("cam1", 3, 32, 16, PixelFormat.NV12, 1),
                    "frame #3 of channel cam1 is 32x16 NV12; channel cam1 encodes 640x480 I420"),
            new RejectedFrame(Records.randomFrame("cam2", 0, 4, 4, PixelFormat.RGB565, 2), "é".repeat(1000)),
        };
    }
}
