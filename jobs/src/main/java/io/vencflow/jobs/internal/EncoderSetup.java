package io.vencflow.jobs.internal;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.frame.Frame;
import io.vencflow.jobs.cli.options.ChannelConfigFile;
import io.vencflow.jobs.cli.options.EncoderOptions;
import io.vencflow.jobs.cli.options.RuntimeOptions;
import io.vencflow.operators.ChannelConfigs;
import io.vencflow.operators.RejectedFrame;
import io.vencflow.operators.VideoEncoding;
import java.io.IOException;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** The encoders of a job: configs from the encoder flags and the --config file, and the keyed operator. */
public final class EncoderSetup {
    private EncoderSetup() {
    }

    /**
     * The channels' configs. The flags give the default; the file's defaults and channel entries come
     * on top. With {@code fitFrames} (sources whose sizes are not known up front, like a frame topic)
     * each unlisted channel takes its size and pixel format from its frames.
     */
    public static ChannelConfigs configs(EncoderOptions flags, int threads, RuntimeOptions runtime, int width, int height,
            int fps, io.vencflow.core.frame.PixelFormat format, boolean fitFrames) throws IOException {
        EncoderConfig base = flags.toConfig(width, height, fps, format).toBuilder().threads(threads).build();
        ChannelConfigs.Builder b = ChannelConfigs.builder();
        if (runtime.configFile != null) {
            ChannelConfigFile file = ChannelConfigFile.read(runtime.configFile);
            b.defaultConfig(file.defaults(base));
            for (Map.Entry<String, EncoderConfig> e : file.channels(base).entrySet()) {
                b.channel(e.getKey(), e.getValue());
            }
        } else {
            b.defaultConfig(base);
        }
        if (fitFrames) {
            b.fitFrames();
        }
        return b.build();
    }

    /** Encodes {@code frames}; late and rejected frames go to the log (their counters are metrics). */
    public static SingleOutputStreamOperator<EncodedFrame> encode(DataStream<Frame> frames, ChannelConfigs configs) {
        SingleOutputStreamOperator<EncodedFrame> encoded = VideoEncoding.encode(frames, configs);
        DataStream<Frame> late = encoded.getSideOutput(VideoEncoding.LATE_FRAMES);
        late.sinkTo(new WarnSink<>("late frame")).uid("vencflow-late-frames").name("late frames");
        DataStream<RejectedFrame> rejected = encoded.getSideOutput(VideoEncoding.REJECTED_FRAMES);
        rejected.sinkTo(new WarnSink<>("rejected frame")).uid("vencflow-rejected-frames").name("rejected frames");
        return encoded;
    }
}
