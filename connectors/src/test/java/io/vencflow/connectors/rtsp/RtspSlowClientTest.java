package io.vencflow.connectors.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.PooledByteBufAllocator;
import io.vencflow.connectors.testing.FfmpegRtspClient;
import io.vencflow.connectors.testing.FfmpegRtspClient.Playback;
import io.vencflow.connectors.testing.FfmpegRtspClient.Transport;
import io.vencflow.connectors.testing.PacedPublisher;
import io.vencflow.connectors.testing.RawRtspClient;
import io.vencflow.connectors.testing.RawRtspClient.Response;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.testing.TestData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading must cost the channel nothing: its queue stays bounded, it drops to the
 * next IDR and is disconnected when it stays stuck, while the publisher and the other client keep
 * their pace (measured).
 */
class RtspSlowClientTest {
    private static final int FPS = 30;
    private static final long MAX_QUEUE = 192 << 10;

    @Test
    void aClientThatStopsReadingIsBoundedDroppedAndDisconnectedWhileTheOtherKeepsItsFrameRate() throws Exception {
        List<EncodedFrame> loop = Decoded.accessUnits(Codec.H265,
                TestData.readAll(TestData.bitstream("h265/bbb_720p_x265_300f.h265")), "cam");
        long largestFrame = loop.stream().mapToLong(EncodedFrame::annexBSize).max().orElseThrow();
        RtspServerConfig config = RtspServerConfig.builder().port(0).maxClientQueueBytes(MAX_QUEUE)
                .clientStallTimeoutMs(2000).socketSendBufferBytes(8192).build();
        PacedPublisher[] publisher = new PacedPublisher[1];
        RtspServer server = RtspServer.builder().config(config).keyframeRequester(c -> publisher[0].requestKeyframe())
                .build().start();
        try (server) {
            publisher[0] = new PacedPublisher("cam", loop, FPS, server::publish);
            try (PacedPublisher pub = publisher[0]) {
                CompletableFuture<Playback> steady = CompletableFuture.supplyAsync(() -> {
                    try (FfmpegRtspClient c = FfmpegRtspClient.open(server.url("cam"), Transport.TCP, Duration.ofSeconds(10))) {
                        return c.play(FPS * 9, Duration.ofSeconds(25));
                    }
                });
                Thread.sleep(3500);

                long stallStart;
                long maxQueued = 0;
                long dropped = 0;
                long maxDirectMemory = 0;
                long disconnectedAfterMs = -1;
                try (RawRtspClient stalled = new RawRtspClient(server.port(), 5000, 4096)) {
                    String url = server.url("cam");
                    assertEquals(200, stalled.request("DESCRIBE", url).status());
                    Response setup = stalled.request("SETUP", url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
                    String id = setup.header("Session").split(";")[0];
                    assertEquals(200, stalled.request("PLAY", url, "Session: " + id).status());
                    stallStart = System.nanoTime();
                    // From here on the client reads nothing.
                    while (System.nanoTime() - stallStart < 6_000_000_000L) {
                        RtspClientStats stats = server.clients("cam").stream().filter(s -> s.sessionId().equals(id))
                                .findFirst().orElse(null);
                        maxDirectMemory = Math.max(maxDirectMemory, PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory());
                        if (stats == null) {
                            disconnectedAfterMs = (System.nanoTime() - stallStart) / 1_000_000;
                            break;
                        }
                        maxQueued = Math.max(maxQueued, stats.queuedBytes());
                        dropped = stats.droppedFrames();
                        Thread.sleep(20);
                    }
                    stalled.timeout(3000);
                    assertTrue(stalled.closedByServer(), "the stalled client's connection is closed by the server");
                }
                double slowestDuringStall = pub.slowestPublishMs(stallStart, System.nanoTime());
                Playback playback = steady.get(30, TimeUnit.SECONDS);
                assertNull(pub.failure());

                assertTrue(maxQueued > 0 && maxQueued <= MAX_QUEUE + largestFrame + 4096,
                        "the stalled client's queue stays within the limit plus one frame: " + maxQueued + " B");
                assertTrue(dropped > 0, "the stalled client dropped frames: " + dropped);
                assertTrue(disconnectedAfterMs >= 2000 && disconnectedAfterMs < 5000,
                        "disconnected after the 2 s stall timeout, at " + disconnectedAfterMs + " ms");
                assertTrue(maxDirectMemory < 64L << 20, "pooled direct memory stayed small: " + maxDirectMemory + " B");

                assertEquals(0, playback.errors(), "the steady client decodes without errors");
                assertTrue(playback.startedAtIdr());
                double before = fps(playback.frameNanos(), playback.frameNanos().get(0) + 500_000_000L, stallStart);
                double during = fps(playback.frameNanos(), stallStart, stallStart + 3_000_000_000L);
                System.out.printf("steady client: %.2f fps before the stall, %.2f fps during it; stalled client: queue "
                        + "at most %d B, %d frames dropped, disconnected after %d ms; slowest publish %.2f ms; "
                        + "pooled direct memory at most %d B%n", before, during, maxQueued, dropped,
                        disconnectedAfterMs, slowestDuringStall, maxDirectMemory);
                assertTrue(Math.abs(before - FPS) < 3, "frame rate before: " + before);
                assertTrue(Math.abs(during - before) / before < 0.1,
                        "frame rate unchanged within 10%: " + before + " before, " + during + " during the stall");
                assertTrue(slowestDuringStall < 100, "publishing never waited for the stalled client (that would take seconds): slowest publish "
                        + slowestDuringStall + " ms");
            }
        }
    }

    /** Decoded frames per second between two instants. */
    private static double fps(List<Long> frameNanos, long from, long to) {
        long n = frameNanos.stream().filter(t -> t >= from && t < to).count();
        return n * 1e9 / (to - from);
    }
}
