package io.vencflow.operators.internal;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.Frame;
import io.vencflow.operators.ChannelConfigs;
import io.vencflow.operators.EncodingOptions;
import io.vencflow.operators.RejectedFrame;
import io.vencflow.operators.VideoEncoding;
import io.vencflow.operators.serialization.FrameSerializer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The keyed encoder: one encoder per channel, frames encoded in sequence order.
 *
 * <p>Per channel, keyed state holds the {@link GopState} and the {@link ReorderBuffer}. A frame with
 * the next expected sequence is encoded at once; one ahead of a gap is buffered until the gap fills,
 * until an event-time timer at (first buffered frame's pts + lateness) passes, or until the buffer
 * is over its bound; the last two skip the gap. A frame whose sequence has passed is a duplicate
 * when it was encoded (dropped, counted) and late otherwise (side output, counted). A frame whose
 * size or format does not fit its channel's config goes to the rejected side output; its sequence
 * counts as done, so the channel does not wait for it.
 *
 * <p>A stream starts at sequence 0 at once; a stream first seen at a later sequence waits (as for a
 * gap) for frames that may come before it, then starts at the lowest one buffered.
 */
public final class KeyedEncoderFunction extends KeyedProcessFunction<String, Frame, EncodedFrame> {
    private static final long serialVersionUID = 1L;

    private final ChannelConfigs configs;
    private final EncodingOptions options;

    private transient ValueState<GopState> gop;
    private transient ReorderBuffer buffer;
    private transient Map<String, ChannelEncoder> channels;

    public KeyedEncoderFunction(ChannelConfigs configs, EncodingOptions options) {
        this.configs = Objects.requireNonNull(configs, "configs");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public void open(OpenContext openContext) {
        gop = getRuntimeContext().getState(new ValueStateDescriptor<>("gop", GopStateSerializer.INSTANCE));
        buffer = new ReorderBuffer(getRuntimeContext().getMapState(
                new MapStateDescriptor<>("reorder-buffer", LongSerializer.INSTANCE, FrameSerializer.INSTANCE)));
        channels = new HashMap<>();
    }

    @Override
    public void processElement(Frame frame, Context ctx, Collector<EncodedFrame> out) throws Exception {
        ChannelEncoder ch = channel(ctx.getCurrentKey());
        ch.metrics.framesIn.inc();
        touch(ch, ctx.timerService());
        GopState s = gop.value();
        if (s == null) {
            s = new GopState();
        }
        long seq = frame.sequence();
        if (!s.started() && seq == 0) {
            s.start(0);
        }
        if (s.started() && seq < s.nextSequence) {
            if (s.wasAccepted(seq)) {
                ch.metrics.duplicates.inc();
            } else {
                ctx.output(VideoEncoding.LATE_FRAMES, frame);
                ch.metrics.late.inc();
            }
            return;
        }
        if (s.started() && seq == s.nextSequence) {
            encodeNext(frame, s, ch, ctx, out);
            drain(s, ch, ctx, out);
        } else if (buffer.contains(seq)) {
            ch.metrics.duplicates.inc();
            return;
        } else {
            buffer.add(frame, s);
            if (s.bufferedCount > options.reorderBufferFrames()) {
                skipGap(s, ch, ctx, out);
            }
        }
        rearmGapTimer(s, ctx.timerService());
        gop.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EncodedFrame> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            GopState s = gop.value();
            if (s == null || timestamp != s.gapTimerMs) {
                return;
            }
            s.gapTimerMs = GopState.NO_TIMER;
            ChannelEncoder ch = channel(ctx.getCurrentKey());
            long watermark = ctx.timerService().currentWatermark();
            while (s.bufferedCount > 0 && gapDeadlineMs(s) <= watermark) {
                skipGap(s, ch, ctx, out);
            }
            rearmGapTimer(s, ctx.timerService());
            gop.update(s);
        } else {
            onIdleTimer(timestamp, ctx, out);
        }
    }

    private void onIdleTimer(long timestamp, OnTimerContext ctx, Collector<EncodedFrame> out) throws Exception {
        ChannelEncoder ch = channels.get(ctx.getCurrentKey());
        // A timer restored from a checkpoint finds no channel (or a newer timer): nothing is open for it.
        if (ch == null || timestamp != ch.idleTimerMs) {
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        long due = ch.lastFrameMs + options.idleTimeoutMs();
        if (now < due) {
            ch.idleTimerMs = due;
            ctx.timerService().registerProcessingTimeTimer(due);
            return;
        }
        ch.idleTimerMs = GopState.NO_TIMER;
        GopState s = gop.value();
        if (s != null && s.bufferedCount > 0) {
            while (s.bufferedCount > 0) {
                skipGap(s, ch, ctx, out);
            }
            rearmGapTimer(s, ctx.timerService());
            gop.update(s);
        }
        if (ch.encoderOpen()) {
            ch.close();
            ch.metrics.idleCloses.inc();
        }
    }

    /** Encodes (or rejects) the frame with the next expected sequence and moves past it. */
    private void encodeNext(Frame frame, GopState s, ChannelEncoder ch, Context ctx, Collector<EncodedFrame> out) {
        String reason = ch.mismatch(frame);
        if (reason != null) {
            ctx.output(VideoEncoding.REJECTED_FRAMES, new RejectedFrame(frame, reason));
            ch.metrics.rejected.inc();
        } else {
            long t0 = System.nanoTime();
            EncodedFrame au = ch.encode(frame);
            long encodeMicros = (System.nanoTime() - t0) / 1000;
            long gopIndex = s.countAccessUnit(au.keyframe());
            EncodedFrame stamped = au.withGop(gopIndex, s.gopPosition);
            out.collect(stamped);
            ch.metrics.encoded(stamped, encodeMicros);
        }
        s.nextSequence = frame.sequence() + 1;
    }

    /** Encodes the buffered frames that now follow in sequence. */
    private void drain(GopState s, ChannelEncoder ch, Context ctx, Collector<EncodedFrame> out) throws Exception {
        boolean took = false;
        while (s.bufferedCount > 0) {
            Frame next = buffer.take(s.nextSequence, s);
            if (next == null) {
                break;
            }
            took = true;
            encodeNext(next, s, ch, ctx, out);
        }
        if (took) {
            buffer.refreshMin(s);
        }
    }

    /** Gives up on the sequences before the lowest buffered one, then encodes what follows. */
    private void skipGap(GopState s, ChannelEncoder ch, Context ctx, Collector<EncodedFrame> out) throws Exception {
        long to = s.bufferedMinSequence;
        if (s.started()) {
            ch.metrics.skippedGaps.inc();
            ch.metrics.skippedFrames.inc(to - s.nextSequence);
            s.skip(s.nextSequence, to);
        } else {
            s.start(to);
        }
        drain(s, ch, ctx, out);
    }

    private long gapDeadlineMs(GopState s) {
        long ptsMs = Math.floorDiv(s.bufferedMinPtsMicros, 1000L);
        long deadline = ptsMs + options.latenessMs();
        return deadline < ptsMs ? Long.MAX_VALUE : deadline;
    }

    /** One event-time timer per channel, at the deadline of its first gap, or none. */
    private void rearmGapTimer(GopState s, TimerService timers) {
        long wanted = s.bufferedCount > 0 ? gapDeadlineMs(s) : GopState.NO_TIMER;
        if (wanted == s.gapTimerMs) {
            return;
        }
        if (s.gapTimerMs != GopState.NO_TIMER) {
            timers.deleteEventTimeTimer(s.gapTimerMs);
        }
        if (wanted != GopState.NO_TIMER) {
            timers.registerEventTimeTimer(wanted);
        }
        s.gapTimerMs = wanted;
    }

    /** Notes the frame's arrival on the channel's idle clock. */
    private void touch(ChannelEncoder ch, TimerService timers) {
        if (options.idleTimeoutMs() == 0) {
            return;
        }
        long now = timers.currentProcessingTime();
        ch.lastFrameMs = now;
        if (ch.idleTimerMs == GopState.NO_TIMER) {
            ch.idleTimerMs = now + options.idleTimeoutMs();
            timers.registerProcessingTimeTimer(ch.idleTimerMs);
        }
    }

    private ChannelEncoder channel(String key) {
        ChannelEncoder ch = channels.get(key);
        if (ch == null) {
            EncoderMetrics metrics = new EncoderMetrics(getRuntimeContext().getMetricGroup().addGroup("channel", key),
                    getRuntimeContext(), key);
            ch = new ChannelEncoder(key, configs, metrics);
            channels.put(key, ch);
        }
        return ch;
    }

    @Override
    public void close() throws Exception {
        if (channels == null) {
            return;
        }
        RuntimeException first = null;
        for (ChannelEncoder ch : channels.values()) {
            try {
                ch.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        channels.clear();
        if (first != null) {
            throw first;
        }
    }
}
