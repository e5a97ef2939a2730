package io.vencflow.connectors.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import io.vencflow.connectors.rtsp.FrameSentListener;
import io.vencflow.connectors.rtsp.RtspClientStats;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client playing one channel: its RTP stream (own SSRC, sequence numbers and timestamp offset), its
 * output and its bounded queue.
 *
 * <p>The queue is the bytes handed to its output and not yet written to the socket. A frame that
 * would take it over the limit is dropped, and so is every frame until the next IDR (the encoder is
 * asked for one, and again once the client has caught up): a slow client loses pictures, never slows
 * the channel or other clients. A client whose queue has not drained within the stall timeout of its
 * first drop is disconnected. A client starts at an IDR, with the channel's parameter sets in front
 * when the IDR does not carry them.
 *
 * <p>Admission ({@link #offer}) runs under the feed's publish lock; RTP writing runs on the output's
 * event loop.
 */
public final class PlayerSession extends RtspSession {
    private static final Logger LOG = LoggerFactory.getLogger(PlayerSession.class);
    /** Sender reports go out this often (RFC 3550 6.2 suggests 5 s as the minimum interval). */
    static final long SENDER_REPORT_INTERVAL_MS = 5_000;

    private final ChannelFeed feed;
    private final ServerContext server;
    private final RtpStream rtp;
    private final RtpOutput output;
    private final String controlUrl;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong sentFrames = new AtomicLong();
    private final AtomicLong droppedFrames = new AtomicLong();
    private final long maxQueueBytes;
    private final long stallTimeoutNanos;
    private volatile boolean playing;
    // Guarded by the feed's lock.
    private boolean waitingForIdr = true;
    private boolean dropping;
    private long stalledSinceNanos;
    // Event loop only.
    private ScheduledFuture<?> senderReports;

    public PlayerSession(String id, ChannelFeed feed, ServerContext server, Channel connection, RtpOutput output,
            String controlUrl) {
        super(id, feed.channel(), connection);
        this.feed = feed;
        this.server = server;
        this.output = output;
        this.controlUrl = controlUrl;
        this.rtp = RtpStream.random(server.random());
        this.maxQueueBytes = server.config().maxClientQueueBytes();
        this.stallTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(server.config().clientStallTimeoutMs());
    }

    @Override
    public boolean interleaved() {
        return output instanceof TcpInterleavedOutput;
    }

    public RtpOutput output() {
        return output;
    }

    public int ssrc() {
        return rtp.ssrc();
    }

    public String controlUrl() {
        return controlUrl;
    }

    public boolean playing() {
        return playing;
    }

    /** The RTP-Info of a PLAY answer: the first packet's sequence number and an RTP time not after it. */
    public record RtpInfo(int sequence, long rtpTime) {
    }

    /**
     * Starts (or resumes) sending from the next IDR; returns the RTP-Info values. Called while no packet
     * of this session is being written (before its first, or paused).
     */
    public RtpInfo play() {
        synchronized (feed) {
            waitingForIdr = true;
            dropping = false;
            stalledSinceNanos = 0;
            playing = true;
            feed.addPlayer(this);
        }
        feed.requestKeyframe();
        return new RtpInfo(rtp.nextSequence(), rtp.timestamp(feed.lastPtsMicros()) & 0xffff_ffffL);
    }

    /** Stops sending until the next PLAY. */
    public void pause() {
        synchronized (feed) {
            playing = false;
            feed.removePlayer(this);
        }
    }

    /** Makes the client skip to the next IDR (its publisher changed, so references were lost). Under the feed lock. */
    void resumeAtIdr() {
        waitingForIdr = true;
    }

    /**
     * Whether it waits for an IDR it could take at once: playing, and not stalled behind frames still
     * queued (a stalled client asks when it has caught up). Under the feed lock.
     */
    boolean awaitsIdr() {
        return playing && !isClosed() && waitingForIdr && queuedBytes.get() == 0;
    }

    /** Offers one frame to this client; under the feed's publish lock, never blocking. */
    void offer(PacketizedFrame frame, ChannelFeed from) {
        if (!playing || isClosed()) {
            return;
        }
        long now = System.nanoTime();
        if (dropping) {
            if (queuedBytes.get() == 0) {
                // It caught up: no longer stalled, only waiting for an IDR to resume at (the feed asks
                // the encoder for it, see awaitsIdr).
                stalledSinceNanos = 0;
            } else if (stalledSinceNanos != 0 && now - stalledSinceNanos > stallTimeoutNanos) {
                LOG.warn("client {} of channel {} ({}) could not take frames for {} ms: disconnected", id(), channel(),
                        output.remoteAddress(), (now - stalledSinceNanos) / 1_000_000);
                playing = false;
                from.removePlayer(this);
                onLoop(() -> server.sessions().remove(this, "client stalled"));
                return;
            }
        }
        if (waitingForIdr && !frame.idr()) {
            if (dropping) {
                droppedFrames.incrementAndGet();
            }
            return;
        }
        int overhead = output.packetOverheadBytes();
        long bytes = frame.wireBytes(overhead);
        long queued = queuedBytes.get();
        if (queued > 0 && queued + bytes > maxQueueBytes) {
            droppedFrames.incrementAndGet();
            waitingForIdr = true;
            if (!dropping) {
                dropping = true;
                stalledSinceNanos = now;
                from.requestKeyframe();
            }
            return;
        }
        PacketizedFrame parameterSets = null;
        if (waitingForIdr && !frame.carriesParameterSets()) {
            parameterSets = from.parameterSetFrame(frame.ptsMicros());
            if (parameterSets != null) {
                bytes += parameterSets.wireBytes(overhead);
            }
        }
        waitingForIdr = false;
        dropping = false;
        queuedBytes.addAndGet(bytes);
        frame.retain();
        PacketizedFrame params = parameterSets;
        long accounted = bytes;
        try {
            output.eventLoop().execute(() -> write(params, frame, accounted));
        } catch (RuntimeException e) { // the event loop is shutting down
            frame.release();
            if (params != null) {
                params.release();
            }
            queuedBytes.addAndGet(-accounted);
        }
    }

    /** Writes one frame (after the parameter sets, if any); on the output's event loop. */
    private void write(PacketizedFrame parameterSets, PacketizedFrame frame, long accounted) {
        try {
            if (isClosed() || !output.isActive()) {
                queuedBytes.addAndGet(-accounted);
                return;
            }
            int timestamp = rtp.timestamp(frame.ptsMicros());
            int channel = output.interleavedRtpChannel();
            if (parameterSets != null) {
                for (RtpPayload p : parameterSets.payloads()) {
                    ByteBuf header = rtp.writeHeader(server.alloc(), p, timestamp, channel, false);
                    output.writeRtp(header, parameterSets.slice(p), null);
                }
            }
            List<RtpPayload> payloads = frame.payloads();
            ChannelPromise done = output.newPromise();
            for (int i = 0; i < payloads.size(); i++) {
                RtpPayload p = payloads.get(i);
                ByteBuf header = rtp.writeHeader(server.alloc(), p, timestamp, channel, p.marker());
                output.writeRtp(header, frame.slice(p), i == payloads.size() - 1 ? done : null);
            }
            long ptsMicros = frame.ptsMicros();
            done.addListener((ChannelFutureListener) f -> frameWritten(f.isSuccess(), ptsMicros, accounted));
            output.flush();
            if (senderReports == null) {
                sendSenderReport();
                senderReports = output.eventLoop().scheduleAtFixedRate(this::sendSenderReport,
                        SENDER_REPORT_INTERVAL_MS, SENDER_REPORT_INTERVAL_MS, TimeUnit.MILLISECONDS);
            }
        } finally {
            frame.release();
            if (parameterSets != null) {
                parameterSets.release();
            }
        }
    }

    private void frameWritten(boolean success, long ptsMicros, long accounted) {
        queuedBytes.addAndGet(-accounted);
        if (!success) {
            return;
        }
        sentFrames.incrementAndGet();
        FrameSentListener listener = server.frameSentListener();
        if (listener != null) {
            listener.frameSent(channel(), id(), ptsMicros, RtpClock.nowMicros());
        }
    }

    private void sendSenderReport() {
        if (isClosed() || !output.isActive()) {
            return;
        }
        long nowMicros = RtpClock.nowMicros();
        ByteBuf report = RtcpSenderReport.write(server.alloc(), rtp.ssrc(), RtpClock.ntpTimestamp(nowMicros),
                rtp.timestamp(nowMicros), rtp.packets(), rtp.octets(), "vencflow");
        output.writeRtcp(report);
        output.flush();
    }

    /** Runs a task on the output's event loop, unless the server is shutting it down (then there is nothing to do). */
    private void onLoop(Runnable task) {
        try {
            output.eventLoop().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("session {}: event loop shut down", id());
        }
    }

    /** Bytes queued for this client and not yet written to its socket. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    public RtspClientStats stats() {
        InetSocketAddress remote = output.remoteAddress();
        String address = remote == null ? "?" : remote.getHostString() + ":" + remote.getPort();
        return new RtspClientStats(id(), channel(), output.transportName(), address, playing, queuedBytes.get(),
                sentFrames.get(), droppedFrames.get());
    }

    @Override
    protected void onClose(String reason) {
        synchronized (feed) {
            playing = false;
            feed.removePlayer(this);
        }
        LOG.debug("session {} of channel {} closed: {}", id(), channel(), reason);
        onLoop(() -> {
            if (senderReports != null) {
                senderReports.cancel(false);
            }
            if (output instanceof UdpOutput udp) {
                udp.unregister();
            } else if (!"teardown".equals(reason) && connection() != null) {
                // Interleaved media ends with its session: the connection carries nothing else useful.
                connection().close();
            }
        });
    }
}
