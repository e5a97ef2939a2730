package io.vencflow.connectors.rtsp;

import io.vencflow.connectors.rtsp.internal.RtspSinkWriter;
import io.vencflow.connectors.rtsp.internal.SharedRtspServers;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.KeyframeRequests;
import java.util.Objects;
import java.util.OptionalInt;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Flink sink that serves the encoded channels over RTSP: every writer publishes into the embedded
 * {@link RtspServer} of its TaskManager (one per JVM and port, started by the first writer and closed
 * with the last), so a channel is at {@code rtsp://<that TaskManager's host>:<port>/<channel>}. Key
 * the stream by channel so that each channel is written by one subtask, in order.
 *
 * <p>RTSP is live: frames reach the clients playing at the time and are not replayed after a
 * failure; the sink holds no state. For players that should not need to know which TaskManager
 * serves a channel, push to a central server with {@link RtspPushSink} instead.
 */
public final class RtspSink implements Sink<EncodedFrame> {
    private static final long serialVersionUID = 1L;

    private final RtspServerConfig server;
    private final KeyframeRequester keyframeRequester;

    private RtspSink(RtspServerConfig server, KeyframeRequester keyframeRequester) {
        this.server = server;
        this.keyframeRequester = keyframeRequester;
    }

    public static Builder builder() {
        return new Builder();
    }

    public RtspServerConfig serverConfig() {
        return server;
    }

    @Override
    public SinkWriter<EncodedFrame> createWriter(WriterInitContext context) {
        return new RtspSinkWriter(SharedRtspServers.acquire(server, keyframeRequester), keyframeRequester,
                context.metricGroup());
    }

    /**
     * The port this JVM's server for {@code config} is bound to, while a writer of it runs here:
     * what a local run with port 0 needs to tell players.
     */
    public static OptionalInt localPort(RtspServerConfig config) {
        return SharedRtspServers.boundPort(config);
    }

    /** Builds an {@link RtspSink}. */
    public static final class Builder {
        private RtspServerConfig server = RtspServerConfig.builder().build();
        private KeyframeRequester keyframeRequester = KeyframeRequests::request;

        private Builder() {
        }

        /** The embedded server's settings (default: 127.0.0.1:8554, UDP on). */
        public Builder server(RtspServerConfig server) {
            this.server = Objects.requireNonNull(server, "server");
            return this;
        }

        /**
         * Asked for an IDR of a channel when a client joins or falls behind. It travels with the job
         * (serializable) and is called in the TaskManager: it must reach that channel's encoder there.
         * The default posts to {@link KeyframeRequests}, which vencflow's encoder operator reads: it
         * reaches the encoder when it runs in the same JVM (a local run, or a TaskManager encoding and
         * serving the channel).
         */
        public Builder keyframeRequester(KeyframeRequester keyframeRequester) {
            this.keyframeRequester = keyframeRequester;
            return this;
        }

        public RtspSink build() {
            return new RtspSink(server, keyframeRequester);
        }
    }
}
