package io.vencflow.operators.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.RateControlMode;
import io.vencflow.operators.VideoEncoding;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineBenchTest {

    @Test
    void everySideEncodesTheSameFramesToTheSameBytes() throws Exception {
        EncoderConfig config = EncoderConfig.builder().rateControl(RateControlMode.CQP).qp(30).gop(10).threads(1).build();
        PipelineBench.Result r = PipelineBench.run(3, 160, 96, 25, config);
        assertTrue(r.bare().bytes() > 25 * 3 * 20, "bare loop wrote only " + r.bare().bytes() + " bytes");
        assertEquals(r.bare().bytes(), r.job().bytes(), "keyBy job against the bare loop");
        assertEquals(r.bare().bytes(), r.partitionedJob().bytes(), "partitioned job against the bare loop");
        for (PipelineBench.Side side : r.sides()) {
            assertTrue(side.fps() > 0 && side.cpuFps() > 0, side.toString());
        }
        String summary = PipelineBench.summary(List.of(r, r));
        assertTrue(summary.contains("flink job (partitioned)"), summary);
    }

    @Test
    void channelIdsLandOnDistinctSubtasks() {
        String[] ids = PipelineBench.channelIds(5);
        for (int i = 0; i < ids.length; i++) {
            assertEquals(i, VideoEncoding.subtaskOf(ids[i], 128, 5), ids[i]);
        }
    }

    @Test
    void theMedianOfTheRoundsIgnoresOneOutlier() {
        assertEquals(0.95, PipelineBench.median(new double[] {0.95, 0.40, 0.97}), 1e-9);
        assertEquals(0.96, PipelineBench.median(new double[] {0.95, 0.97, 0.40, 1.50}), 1e-9);
    }

    @Test
    void aBadOptionIsNamedWithTheUsage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PipelineBench.main(new String[] {"--chanels", "4"}));
        assertTrue(e.getMessage().contains("'--chanels'") && e.getMessage().contains("--segment-size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PipelineBench.main(new String[] {"--frames"}));
        assertTrue(e.getMessage().contains("--frames has no value"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PipelineBench.main(new String[] {"--size", "640"}));
        assertTrue(e.getMessage().contains("--size 640"), e.getMessage());
    }
}
