package io.vencflow.operators.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.KeyframeRequests;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import io.vencflow.operators.ChannelConfigs;
import io.vencflow.operators.EncodingOptions;
import io.vencflow.operators.RejectedFrame;
import io.vencflow.operators.VideoEncoding;
import io.vencflow.operators.testing.Streams;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The keyed encoder's ordering rules, driven frame by frame and watermark by watermark through
 * Flink's operator test harness (real keyed state, timers and snapshots; real jcodec encoder).
 */
class KeyedEncoderFunctionTest {
    private static final int SIZE = 32;
    private static final long FRAME_MICROS = 33_333;
    private static final long BASE_MICROS = 1_000_000_000L;
    private static final long LATENESS_MS = 100;
    private static final ChannelConfigs CONFIGS = ChannelConfigs.of(
            EncoderConfig.builder().size(SIZE, SIZE).gop(1000).backend(Backend.JCODEC).build());

    private final SyntheticScene cam = new SyntheticScene("cam", SIZE, SIZE, PixelFormat.I420);
    private final SyntheticScene other = new SyntheticScene("other", SIZE, SIZE, PixelFormat.I420);

    private static EncodingOptions options(int bufferFrames) {
        return EncodingOptions.builder().latenessMs(LATENESS_MS).reorderBufferFrames(bufferFrames).idleTimeoutMs(10_000)
                .build();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Frame, EncodedFrame> harness(EncodingOptions options,
            StateBackend backend, OperatorSubtaskState restore) throws Exception {
        return harness(CONFIGS, options, backend, restore);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Frame, EncodedFrame> harness(ChannelConfigs configs,
            EncodingOptions options, StateBackend backend, OperatorSubtaskState restore) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new KeyedEncoderFunction(configs, options)), new ChannelKeySelector(),
                Types.STRING);
        h.setStateBackend(backend);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Frame, EncodedFrame> harness(EncodingOptions options)
            throws Exception {
        return harness(options, new HashMapStateBackend(), null);
    }

    private Frame frame(long seq) {
        return cam.render(seq, BASE_MICROS + seq * FRAME_MICROS);
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, Frame, EncodedFrame> h, Frame f)
            throws Exception {
        h.processElement(f, f.ptsMicros() / 1000);
    }

    private void send(KeyedOneInputStreamOperatorTestHarness<String, Frame, EncodedFrame> h, long... sequences)
            throws Exception {
        for (long s : sequences) {
            send(h, frame(s));
        }
    }

    /** The watermark at which a gap whose first buffered frame is {@code seq} is given up. */
    private static long deadlineMs(long seq) {
        return (BASE_MICROS + seq * FRAME_MICROS) / 1000 + LATENESS_MS;
    }

    private static List<Long> out(KeyedOneInputStreamOperatorTestHarness<String, Frame, EncodedFrame> h) {
        return Streams.sequences(h.extractOutputValues());
    }

    private static <X> List<X> side(KeyedOneInputStreamOperatorTestHarness<String, Frame, EncodedFrame> h,
            org.apache.flink.util.OutputTag<X> tag) {
        List<X> out = new ArrayList<>();
        var q = h.getSideOutput(tag);
        if (q != null) {
            for (StreamRecord<X> r : q) {
                out.add(r.getValue());
            }
        }
        return out;
    }

    @Test
    void channelsOfOtherSizesAndFormatsShareADefaultThatFitsTheirFrames() throws Exception {
        ChannelConfigs fitting = ChannelConfigs.builder()
                .defaultConfig(EncoderConfig.builder().size(SIZE, SIZE).gop(1000).backend(Backend.JCODEC).build())
                .fitFrames().build();
        SyntheticScene wide = new SyntheticScene("wide", 64, 48, PixelFormat.NV12);
        try (var h = harness(fitting, options(64), new HashMapStateBackend(), null)) {
            for (long s = 0; s < 4; s++) {
                send(h, frame(s));
                send(h, wide.render(s, BASE_MICROS + s * FRAME_MICROS));
            }
            List<EncodedFrame> out = h.extractOutputValues();
            assertEquals(8, out.size());
            assertTrue(side(h, VideoEncoding.REJECTED_FRAMES).isEmpty());
            assertTrue(out.stream().filter(f -> f.channel().equals("wide")).allMatch(f -> f.width() == 64 && f.height() == 48));
            // A later frame of yet another size is still rejected: the channel's size is its first frame's.
            send(h, new SyntheticScene("wide", 32, 32, PixelFormat.NV12).render(4, BASE_MICROS + 4 * FRAME_MICROS));
            assertEquals(1, side(h, VideoEncoding.REJECTED_FRAMES).size());
        }
    }

    @Test
    void aKeyframeRequestPostedForTheChannelMakesItsNextFrameAnIdr() throws Exception {
        try (var h = harness(options(64))) {
            send(h, 0, 1);
            KeyframeRequests.request("cam");
            send(h, 2, 3);
            send(h, other.render(0, BASE_MICROS));
            List<EncodedFrame> out = h.extractOutputValues();
            assertEquals(List.of(true, false, true, false, true),
                    out.stream().map(EncodedFrame::keyframe).toList());
            assertEquals(1, out.get(2).gopIndex());
            assertFalse(KeyframeRequests.take("cam"), "the request was used up");
        }
    }

    @Test
    void framesAheadOfAGapWaitAndComeOutInOrderWhenItFills() throws Exception {
        try (var h = harness(options(64))) {
            send(h, 0, 2, 3, 5);
            assertEquals(List.of(0L), out(h));
            send(h, 1);
            assertEquals(List.of(0L, 1L, 2L, 3L), out(h));
            send(h, 4);
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), out(h));
            Streams.checkDecodable("cam", h.extractOutputValues());
        }
    }

    @Test
    void aGapIsSkippedWhenTheWatermarkPassesTheFirstBufferedFramePlusTheLateness() throws Exception {
        try (var h = harness(options(64))) {
            send(h, 0, 1, 3, 4);
            h.processWatermark(deadlineMs(3) - 1);
            assertEquals(List.of(0L, 1L), out(h), "still waiting for 2");
            h.processWatermark(deadlineMs(3));
            assertEquals(List.of(0L, 1L, 3L, 4L), out(h));
            send(h, 5);
            send(h, 2);
            assertEquals(List.of(0L, 1L, 3L, 4L, 5L), out(h));
            assertEquals(List.of(2L), Streams.frameSequences(side(h, VideoEncoding.LATE_FRAMES)),
                    "2 came after its gap was skipped");
            Streams.checkDecodable("cam", h.extractOutputValues());
        }
    }

    @Test
    void twoGapsInARowAreSkippedByOneWatermark() throws Exception {
        try (var h = harness(options(64))) {
            send(h, 0, 2, 4, 5);
            h.processWatermark(deadlineMs(4));
            assertEquals(List.of(0L, 2L, 4L, 5L), out(h));
        }
    }

    @Test
    void duplicatesOfEncodedAndOfBufferedFramesAreDroppedNotSentToTheLateOutput() throws Exception {
        try (var h = harness(options(64))) {
            send(h, 0, 1, 1, 0, 3, 3);
            send(h, 2);
            assertEquals(List.of(0L, 1L, 2L, 3L), out(h));
            assertTrue(side(h, VideoEncoding.LATE_FRAMES).isEmpty());
        }
    }

    @Test
    void aFullReorderBufferSkipsTheGapInsteadOfGrowing() throws Exception {
        try (var h = harness(options(4))) {
            send(h, 0, 2, 3, 4, 5);
            assertEquals(List.of(0L), out(h), "four frames fit the buffer");
            send(h, 6);
            assertEquals(List.of(0L, 2L, 3L, 4L, 5L, 6L), out(h), "the fifth skips the gap at 1");
            send(h, 1);
            assertEquals(List.of(1L), Streams.frameSequences(side(h, VideoEncoding.LATE_FRAMES)));
            assertEquals(1, h.numKeyedStateEntries(), "only the GOP state is left, the buffer is empty");
        }
    }

    @Test
    void aStreamFirstSeenAfterSequenceZeroWaitsForEarlierFramesThenStartsAtTheLowest() throws Exception {
        try (var h = harness(options(64))) {
            send(h, 5, 3, 4);
            assertEquals(List.of(), out(h));
            h.processWatermark(deadlineMs(3));
            assertEquals(List.of(3L, 4L, 5L), out(h));
            send(h, 2);
            assertEquals(List.of(2L), Streams.frameSequences(side(h, VideoEncoding.LATE_FRAMES)),
                    "before the start is late, not a duplicate");
            assertTrue(h.extractOutputValues().get(0).keyframe());
        }
    }

    @Test
    void theEndOfInputReleasesEveryBufferedFrame() throws Exception {
        try (var h = harness(options(64))) {
            send(h, 0, 2, 3, 7, 8);
            h.processWatermark(Long.MAX_VALUE);
            assertEquals(List.of(0L, 2L, 3L, 7L, 8L), out(h));
            Streams.checkDecodable("cam", h.extractOutputValues());
        }
    }

    @Test
    void aFrameOfAnotherSizeOrFormatIsRejectedWithTheReasonAndTheChannelGoesOn() throws Exception {
        try (var h = harness(options(64))) {
            send(h, 0);
            send(h, new SyntheticScene("cam", 64, 32, PixelFormat.I420).render(1, BASE_MICROS + FRAME_MICROS));
            send(h, new SyntheticScene("cam", SIZE, SIZE, PixelFormat.NV12).render(2, BASE_MICROS + 2 * FRAME_MICROS));
            send(h, 3);
            assertEquals(List.of(0L, 3L), out(h));
            List<RejectedFrame> rejected = side(h, VideoEncoding.REJECTED_FRAMES);
            assertEquals(2, rejected.size());
            assertEquals("frame #1 of channel cam is 64x32; channel cam encodes 32x32", rejected.get(0).reason());
            assertEquals("frame #2 of channel cam is NV12; channel cam encodes I420 input", rejected.get(1).reason());
            Streams.checkDecodable("cam", h.extractOutputValues());
        }
    }

    @Test
    void aChannelWithoutAConfigHasAllItsFramesRejected() throws Exception {
        ChannelConfigs only = ChannelConfigs.builder().channel("cam", CONFIGS.defaultConfig().orElseThrow()).build();
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new KeyedEncoderFunction(only, options(64))), new ChannelKeySelector(),
                Types.STRING);
        try (h) {
            h.open();
            send(h, other.render(0, BASE_MICROS));
            send(h, 0);
            assertEquals(List.of(0L), out(h));
            List<RejectedFrame> rejected = side(h, VideoEncoding.REJECTED_FRAMES);
            assertEquals(1, rejected.size());
            assertTrue(rejected.get(0).reason().contains("no encoder config for channel other"),
                    rejected.get(0).reason());
        }
    }

    @Test
    void channelsAreOrderedIndependently() throws Exception {
        try (var h = harness(options(64))) {
            send(h, 0, 2);
            send(h, other.render(0, BASE_MICROS));
            send(h, other.render(1, BASE_MICROS + FRAME_MICROS));
            assertEquals(List.of("cam", "other", "other"),
                    h.extractOutputValues().stream().map(EncodedFrame::channel).toList());
        }
    }

    @Test
    void anIdleChannelHasItsEncoderClosedAndItsNextFrameStartsANewGopWithAnIdr() throws Exception {
        EncodingOptions options = EncodingOptions.builder().latenessMs(LATENESS_MS).idleTimeoutMs(1000).build();
        try (var h = harness(options)) {
            h.setProcessingTime(0);
            send(h, 0, 1);
            h.setProcessingTime(900);
            send(h, 2);
            h.setProcessingTime(1800);
            send(h, 3);
            List<EncodedFrame> out = h.extractOutputValues();
            assertEquals(List.of(true, false, false, false), out.stream().map(EncodedFrame::keyframe).toList(),
                    "frames 900 ms apart keep the encoder");
            h.setProcessingTime(2800);
            send(h, 4);
            out = h.extractOutputValues();
            assertTrue(out.get(4).keyframe(), "after 1000 ms without frames the encoder was closed: " + out.get(4));
            assertEquals(1, out.get(4).gopIndex());
            Streams.checkDecodable("cam", out);
        }
    }

    @Test
    void anIdleChannelReleasesItsBufferedFramesSkippingTheGap() throws Exception {
        EncodingOptions options = EncodingOptions.builder().latenessMs(LATENESS_MS).idleTimeoutMs(1000).build();
        try (var h = harness(options)) {
            h.setProcessingTime(0);
            send(h, 0, 2, 3);
            assertEquals(List.of(0L), out(h));
            h.setProcessingTime(1000);
            assertEquals(List.of(0L, 2L, 3L), out(h), "no watermark came, the idle timeout let the frames go");
            assertEquals(1, h.numKeyedStateEntries(), "the buffer is empty");
            send(h, 1);
            assertEquals(List.of(1L), Streams.frameSequences(side(h, VideoEncoding.LATE_FRAMES)));
        }
    }

    @Test
    void anIdleTimeoutOfZeroNeverClosesTheEncoder() throws Exception {
        EncodingOptions options = EncodingOptions.builder().idleTimeoutMs(0).build();
        try (var h = harness(options)) {
            h.setProcessingTime(0);
            send(h, 0);
            h.setProcessingTime(10_000_000);
            send(h, 1);
            assertFalse(h.extractOutputValues().get(1).keyframe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void afterARestoreBufferedFramesSurviveTheFirstAccessUnitIsAnIdrAndGopIndexesGoOn(String backend) throws Exception {
        StateBackend stateBackend = backend.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
        EncodingOptions options = options(64);
        List<EncodedFrame> all = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var h = harness(options, stateBackend, null)) {
            send(h, 0, 1, 2, 3, 4, 6, 7);
            snapshot = h.snapshot(1, 1);
            all.addAll(h.extractOutputValues());
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), Streams.sequences(all));
        try (var h = harness(options, stateBackend, snapshot)) {
            send(h, 5, 8, 9);
            List<EncodedFrame> resumed = h.extractOutputValues();
            assertEquals(List.of(5L, 6L, 7L, 8L, 9L), Streams.sequences(resumed), "6 and 7 came back from the buffer");
            assertTrue(resumed.get(0).keyframe(), "a new encoder starts with an IDR");
            assertEquals(1, resumed.get(0).gopIndex(), "GOP 0 before the restore, GOP 1 after");
            assertFalse(resumed.get(1).keyframe());
            all.addAll(resumed);
        }
        assertEquals(LongStream.range(0, 10).boxed().toList(), Streams.sequences(all));
        Streams.checkDecodable("cam", all);
    }
}
