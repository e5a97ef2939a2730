package io.vencflow.connectors.rtsp.internal;

import io.vencflow.connectors.rtsp.RtspPushClient;
import io.vencflow.core.codec.EncodedFrame;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

/**
 * The writer of an RTSP push sink: one push client per writer, pushing each channel the writer sees.
 * RTSP is live: nothing is buffered for checkpoints.
 */
public final class RtspPushSinkWriter implements SinkWriter<EncodedFrame> {
    private final RtspPushClient client;
    private final Counter records;

    public RtspPushSinkWriter(RtspPushClient client, SinkWriterMetricGroup metrics) {
        this.client = client;
        this.records = metrics.getNumRecordsSendCounter();
        metrics.gauge("rtspPushDroppedFrames", () -> client.stats().stream().mapToLong(s -> s.droppedFrames()).sum());
        metrics.gauge("rtspPushRecordingChannels", () -> client.stats().stream().filter(s -> s.recording()).count());
    }

    @Override
    public void write(EncodedFrame frame, Context context) {
        client.publish(frame);
        records.inc();
    }

    @Override
    public void flush(boolean endOfInput) {
        // Frames are handed to the connections at once; there is nothing to flush.
    }

    @Override
    public void close() {
        client.close();
    }
}
