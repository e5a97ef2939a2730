package io.vencflow.connectors.rtsp;

import io.vencflow.connectors.rtsp.internal.RtpPacketizer;
import io.vencflow.connectors.rtsp.internal.RtspPushSinkWriter;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.KeyframeRequests;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Flink sink that pushes each channel to an external RTSP server (MediaMTX and the like) with
 * ANNOUNCE/SETUP(record, TCP interleaved)/RECORD, through one {@link RtspPushClient} per writer:
 * channel {@code c} goes to {@code <url>c}. Players then pull every channel from that one server,
 * whichever TaskManager encodes it. Connections that fail are retried with backoff and resume at an
 * IDR. RTSP is live: the sink holds no state.
 */
public final class RtspPushSink implements Sink<EncodedFrame> {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final String user;
    private final String password;
    private final long reconnectMinMs;
    private final long reconnectMaxMs;
    private final long responseTimeoutMs;
    private final long maxQueueBytes;
    private final int maxRtpPayloadBytes;
    private final KeyframeRequester keyframeRequester;

    private RtspPushSink(Builder b) {
        this.url = b.url;
        this.user = b.user;
        this.password = b.password;
        this.reconnectMinMs = b.reconnectMinMs;
        this.reconnectMaxMs = b.reconnectMaxMs;
        this.responseTimeoutMs = b.responseTimeoutMs;
        this.maxQueueBytes = b.maxQueueBytes;
        this.maxRtpPayloadBytes = b.maxRtpPayloadBytes;
        this.keyframeRequester = b.keyframeRequester;
    }

    public static Builder builder() {
        return new Builder();
    }

    private RtspPushClient.Builder clientBuilder() {
        RtspPushClient.Builder b = RtspPushClient.builder().url(url).reconnectBackoffMs(reconnectMinMs, reconnectMaxMs)
                .responseTimeoutMs(responseTimeoutMs).maxQueueBytes(maxQueueBytes).maxRtpPayloadBytes(maxRtpPayloadBytes)
                .keyframeRequester(keyframeRequester);
        if (user != null) {
            b.credentials(user, password);
        }
        return b;
    }

    @Override
    public SinkWriter<EncodedFrame> createWriter(WriterInitContext context) {
        return new RtspPushSinkWriter(clientBuilder().build(), context.metricGroup());
    }

    /** Builds an {@link RtspPushSink}; the settings are those of {@link RtspPushClient.Builder}, checked at {@link #build()}. */
    public static final class Builder {
        private String url;
        private String user;
        private String password;
        private long reconnectMinMs = 250;
        private long reconnectMaxMs = 10_000;
        private long responseTimeoutMs = 5_000;
        private long maxQueueBytes = 8L << 20;
        private int maxRtpPayloadBytes = RtpPacketizer.DEFAULT_MAX_PAYLOAD_BYTES;
        private KeyframeRequester keyframeRequester = KeyframeRequests::request;

        private Builder() {
        }

        /** The server's base URL, {@code rtsp://host:port/[prefix/]}; each channel is appended. */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        public Builder credentials(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        public Builder reconnectBackoffMs(long minMs, long maxMs) {
            this.reconnectMinMs = minMs;
            this.reconnectMaxMs = maxMs;
            return this;
        }

        public Builder responseTimeoutMs(long responseTimeoutMs) {
            this.responseTimeoutMs = responseTimeoutMs;
            return this;
        }

        public Builder maxQueueBytes(long maxQueueBytes) {
            this.maxQueueBytes = maxQueueBytes;
            return this;
        }

        public Builder maxRtpPayloadBytes(int maxRtpPayloadBytes) {
            this.maxRtpPayloadBytes = maxRtpPayloadBytes;
            return this;
        }

        /** Asked for an IDR when a channel's push (re)starts; serializable, called in the TaskManager. */
        public Builder keyframeRequester(KeyframeRequester keyframeRequester) {
            this.keyframeRequester = keyframeRequester;
            return this;
        }

        public RtspPushSink build() {
            RtspPushSink sink = new RtspPushSink(this);
            sink.clientBuilder().settings(); // checks every setting now, not in the TaskManager
            return sink;
        }
    }
}
