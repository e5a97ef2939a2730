package io.vencflow.jobs.internal;

import io.vencflow.connectors.archive.ArchiveSink;
import io.vencflow.connectors.archive.SegmentFormat;
import io.vencflow.connectors.kafka.KafkaVideo;
import io.vencflow.connectors.kafka.VideoSinkBuilder;
import io.vencflow.connectors.rtsp.RtspPushSink;
import io.vencflow.connectors.rtsp.RtspServerConfig;
import io.vencflow.connectors.rtsp.RtspSink;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.Frame;
import io.vencflow.jobs.cli.options.ArchiveOptions;
import io.vencflow.jobs.cli.options.RtspOptions;
import java.time.Duration;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Where encoded (and raw) video leaves a job: Kafka topics, the archive, RTSP. */
public final class VideoSinks {
    private VideoSinks() {
    }

    /** Frames to a frame topic. */
    public static void toFrameTopic(DataStream<Frame> frames, String bootstrapServers, String topic, boolean exactlyOnce,
            String jobName) {
        VideoSinkBuilder<Frame> b = KafkaVideo.frameSink().bootstrapServers(bootstrapServers).topic(topic);
        if (exactlyOnce) {
            b.exactlyOnce(transactionalIdPrefix(jobName, topic));
        } else {
            b.atLeastOnce();
        }
        frames.sinkTo(b.build()).uid("vencflow-frame-topic-" + topic).name("kafka " + topic);
    }

    /** Access units to a NAL topic. */
    public static void toNalTopic(DataStream<EncodedFrame> encoded, String bootstrapServers, String topic,
            boolean exactlyOnce, String jobName) {
        VideoSinkBuilder<EncodedFrame> b = KafkaVideo.nalSink().bootstrapServers(bootstrapServers).topic(topic);
        if (exactlyOnce) {
            b.exactlyOnce(transactionalIdPrefix(jobName, topic));
        } else {
            b.atLeastOnce();
        }
        encoded.sinkTo(b.build()).uid("vencflow-nal-topic-" + topic).name("kafka " + topic);
    }

    /** Stable across runs (restores abort what an earlier run left open) and distinct per job and topic. */
    static String transactionalIdPrefix(String jobName, String topic) {
        return "vencflow-" + jobName + "-" + topic;
    }

    /** Access units to the rolling archive. */
    public static void toArchive(DataStream<EncodedFrame> encoded, ArchiveOptions a) {
        if (a.out == null) {
            throw new IllegalArgumentException("--out is not set; give the archive folder");
        }
        if (!(a.segmentSeconds >= 0)) {
            throw new IllegalArgumentException("--segment-seconds " + a.segmentSeconds + " is negative; expected 0 or more");
        }
        ArchiveSink sink = ArchiveSink.builder().directory(a.out.toAbsolutePath())
                .format(a.mp4 ? SegmentFormat.MP4 : SegmentFormat.ANNEX_B)
                .maxSegmentDuration(Duration.ofMillis(Math.round(a.segmentSeconds * 1000)))
                .maxSegmentBytes(a.segmentBytes).retainFor(a.retention).retainBytesPerChannel(a.retentionBytes).build();
        encoded.sinkTo(sink).uid("vencflow-archive").name("archive " + a.out);
    }

    /** The embedded server's settings from the flags. */
    public static RtspServerConfig rtspServer(RtspOptions r) {
        RtspServerConfig.Builder b = RtspServerConfig.builder().bindAddress(r.bind).port(r.port);
        for (String u : r.users) {
            int colon = u.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("--rtsp-user '" + u + "' is not user:password");
            }
            b.user(u.substring(0, colon), u.substring(colon + 1));
        }
        return b.build();
    }

    /** Access units to the embedded RTSP server and, with --push, to an external one. */
    public static void toRtsp(DataStream<EncodedFrame> encoded, RtspOptions r, RtspServerConfig server) {
        if (!r.disabled) {
            encoded.sinkTo(RtspSink.builder().server(server).build()).uid("vencflow-rtsp").name("rtsp :" + r.port);
        }
        if (r.pushUrl != null) {
            encoded.sinkTo(RtspPushSink.builder().url(r.pushUrl).build()).uid("vencflow-rtsp-push")
                    .name("rtsp push " + r.pushUrl);
        }
    }
}
