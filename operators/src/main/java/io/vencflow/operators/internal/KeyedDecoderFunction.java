package io.vencflow.operators.internal;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.VideoDecoder;
import io.vencflow.core.frame.Frame;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The keyed decoder: one decoder per channel, beside the key (a decoder's reference pictures cannot
 * go into state). A channel's decoding starts at its first IDR; access units before it cannot be
 * decoded and are skipped and counted. After a restore, or when a channel changes codec, decoding
 * waits for the next IDR again. The end of a bounded input flushes every decoder (an event-time
 * timer at the end of time, which only the final watermark reaches).
 */
public final class KeyedDecoderFunction extends KeyedProcessFunction<String, EncodedFrame, Frame> {
    private static final long serialVersionUID = 1L;
    private static final long END_OF_INPUT = Long.MAX_VALUE;

    private final Backend backend;
    private transient Map<String, ChannelDecoder> channels;

    public KeyedDecoderFunction(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** A channel's decoder and what it has seen; task thread only. */
    private static final class ChannelDecoder {
        final DecoderMetrics metrics;
        VideoDecoder decoder;
        Codec codec;
        long errorsCounted;

        ChannelDecoder(DecoderMetrics metrics) {
            this.metrics = metrics;
        }

        void close() {
            if (decoder != null) {
                VideoDecoder d = decoder;
                decoder = null;
                d.close();
            }
        }
    }

    @Override
    public void open(OpenContext openContext) {
        channels = new HashMap<>();
    }

    @Override
    public void processElement(EncodedFrame au, Context ctx, Collector<Frame> out) {
        String key = ctx.getCurrentKey();
        ChannelDecoder ch = channels.get(key);
        if (ch == null) {
            ch = new ChannelDecoder(new DecoderMetrics(getRuntimeContext().getMetricGroup().addGroup("channel", key)));
            channels.put(key, ch);
        }
        ch.metrics.framesIn.inc();
        if (ch.decoder != null && ch.codec != au.codec()) {
            emit(ch, ch.decoder.flush(), out);
            ch.close();
        }
        if (ch.decoder == null) {
            if (!au.keyframe()) {
                ch.metrics.skippedBeforeIdr.inc();
                return;
            }
            ch.decoder = VideoDecoder.open(au.codec(), backend);
            ch.codec = au.codec();
            ch.errorsCounted = 0;
            ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
        }
        emit(ch, ch.decoder.decode(au), out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Frame> out) {
        ChannelDecoder ch = channels.get(ctx.getCurrentKey());
        if (ch != null && ch.decoder != null) {
            emit(ch, ch.decoder.flush(), out);
        }
    }

    private static void emit(ChannelDecoder ch, List<Frame> frames, Collector<Frame> out) {
        for (Frame f : frames) {
            out.collect(f);
        }
        ch.metrics.framesDecoded.inc(frames.size());
        long errors = ch.decoder.errors();
        ch.metrics.decodeErrors.inc(errors - ch.errorsCounted);
        ch.errorsCounted = errors;
    }

    @Override
    public void close() {
        if (channels != null) {
            for (ChannelDecoder ch : channels.values()) {
                ch.close();
            }
            channels.clear();
        }
    }
}
