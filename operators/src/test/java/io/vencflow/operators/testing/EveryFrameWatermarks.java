package io.vencflow.operators.testing;

import io.vencflow.core.frame.Frame;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Bounded out-of-orderness watermarks emitted after every frame rather than periodically, so that a
 * test knows exactly which frames the watermark has passed when a late one arrives, however fast the
 * machine is.
 */
public final class EveryFrameWatermarks {
    private EveryFrameWatermarks() {
    }

    public static WatermarkStrategy<Frame> of(long maxOutOfOrdernessMs) {
        return WatermarkStrategy.<Frame>forGenerator(ctx -> new WatermarkGenerator<>() {
            private long maxMs = Long.MIN_VALUE;

            @Override
            public void onEvent(Frame frame, long timestamp, WatermarkOutput output) {
                long ms = frame.ptsMicros() / 1000;
                if (ms > maxMs) {
                    maxMs = ms;
                    output.emitWatermark(new Watermark(maxMs - maxOutOfOrdernessMs - 1));
                }
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
            }
        }).withTimestampAssigner((frame, previous) -> frame.ptsMicros() / 1000);
    }
}
