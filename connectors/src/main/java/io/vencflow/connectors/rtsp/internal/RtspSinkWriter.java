package io.vencflow.connectors.rtsp.internal;

import io.vencflow.connectors.rtsp.KeyframeRequester;
import io.vencflow.connectors.rtsp.RtspServer;
import io.vencflow.core.codec.EncodedFrame;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

/**
 * The writer of an RTSP sink: publishes each access unit into this JVM's shared server (leased for
 * the writer's life) and registers the keyframe requester for each channel it serves. RTSP is live:
 * nothing is buffered for checkpoints, so {@link #flush} has nothing to do.
 */
public final class RtspSinkWriter implements SinkWriter<EncodedFrame> {
    private final SharedRtspServers.Lease lease;
    private final KeyframeRequester keyframeRequester;
    private final Set<String> channels = new HashSet<>();
    private final Counter records;
    private final Counter bytes;

    public RtspSinkWriter(SharedRtspServers.Lease lease, KeyframeRequester keyframeRequester, SinkWriterMetricGroup metrics) {
        this.lease = lease;
        this.keyframeRequester = keyframeRequester;
        this.records = metrics.getNumRecordsSendCounter();
        this.bytes = metrics.getNumBytesSendCounter();
        RtspServer server = lease.server();
        metrics.gauge("rtspClients", () -> server.clients().size());
        metrics.gauge("rtspPort", server::port);
    }

    @Override
    public void write(EncodedFrame frame, Context context) {
        RtspServer server = lease.server();
        if (keyframeRequester != null && channels.add(frame.channel())) {
            server.keyframeRequester(frame.channel(), keyframeRequester);
        }
        server.publish(frame);
        records.inc();
        bytes.inc(frame.annexBSize());
    }

    @Override
    public void flush(boolean endOfInput) {
        // Frames are handed to the server at once; there is nothing to flush.
    }

    @Override
    public void close() {
        lease.close();
    }
}
