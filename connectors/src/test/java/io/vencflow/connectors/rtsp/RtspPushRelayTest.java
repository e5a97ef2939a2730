package io.vencflow.connectors.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.testing.FfmpegRtspClient;
import io.vencflow.connectors.testing.FfmpegRtspClient.Playback;
import io.vencflow.connectors.testing.FfmpegRtspClient.Transport;
import io.vencflow.connectors.testing.PacedPublisher;
import io.vencflow.connectors.testing.ReferenceFrames;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.quality.PlaneStats;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.testing.TestData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The push client publishes to our own server acting as a relay (ANNOUNCE, SETUP mode=record, RECORD),
 * and FFmpeg plays the relayed channel; cut connections and a restarted relay are survived.
 */
class RtspPushRelayTest {

    private static List<EncodedFrame> loop(Codec codec, String file) {
        return Decoded.accessUnits(codec, TestData.readAll(TestData.bitstream(file)), "cam");
    }

    private static RtspServer relay(int port, String... userAndPassword) {
        RtspServerConfig.Builder b = RtspServerConfig.builder().port(port).acceptPublishers(true);
        if (userAndPassword.length == 2) {
            b.user(userAndPassword[0], userAndPassword[1]);
        }
        return RtspServer.builder().config(b.build()).build().start();
    }

    private static void await(BooleanSupplier condition, long ms, String what) throws InterruptedException {
        long deadline = System.nanoTime() + ms * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + ms + " ms");
            }
            Thread.sleep(10);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"H264, h264/cars_320x240.h264", "H265, h265/cars_320x240.h265"})
    void aPushedChannelIsRelayedAndFfmpegDecodesItBitExactly(Codec codec, String file) throws Exception {
        List<EncodedFrame> loop = loop(codec, file);
        List<Frame> reference = Decoded.of(loop).frames();
        PacedPublisher[] camera = new PacedPublisher[1];
        try (RtspServer relay = relay(0, "pusher", "p4ss");
                RtspPushClient pusher = RtspPushClient.builder().url("rtsp://pusher:p4ss@127.0.0.1:" + relay.port() + "/")
                        .keyframeRequester(c -> camera[0].requestKeyframe()).build()) {
            camera[0] = new PacedPublisher("cam", loop, 30, pusher::publish);
            try (PacedPublisher publisher = camera[0]) {
                await(() -> relay.hasPublisher("cam"), 5000, "the pusher's RECORD");
                String url = relay.url("cam").replace("rtsp://", "rtsp://pusher:p4ss@");
                try (FfmpegRtspClient player = FfmpegRtspClient.open(url, Transport.TCP, Duration.ofSeconds(10))) {
                    Playback p = player.play(100, Duration.ofSeconds(20));
                    assertTrue(p.startedAtIdr());
                    assertEquals(0, p.errors());
                    PlaneStats stats = ReferenceFrames.compare(p.frames(), reference);
                    for (int plane = 0; plane < 3; plane++) {
                        assertEquals(99.0, stats.psnr(plane), "relayed pictures are the published ones: " + stats);
                    }
                }
                RtspPushStats stats = pusher.stats("cam");
                assertTrue(stats.recording());
                assertEquals(1, stats.sessions());
                assertTrue(stats.sentFrames() >= 100, stats.toString());
                assertNull(publisher.failure());
            }
        }
    }

    @Test
    void aPusherCutOffByTheRelayReconnectsAndThePlayerResumesAtAnIdrWithoutErrors() throws Exception {
        List<EncodedFrame> loop = loop(Codec.H264, "h264/cars_320x240.h264");
        PacedPublisher[] camera = new PacedPublisher[1];
        try (RtspServer relay = relay(0);
                RtspPushClient pusher = RtspPushClient.builder().url("rtsp://127.0.0.1:" + relay.port() + "/")
                        .reconnectBackoffMs(200, 2000).keyframeRequester(c -> camera[0].requestKeyframe()).build()) {
            camera[0] = new PacedPublisher("cam", loop, 30, pusher::publish);
            try (PacedPublisher publisher = camera[0]) {
                await(() -> relay.hasPublisher("cam"), 5000, "the pusher's RECORD");
                CompletableFuture<Playback> player = CompletableFuture.supplyAsync(() -> {
                    try (FfmpegRtspClient c = FfmpegRtspClient.open(relay.url("cam"), Transport.TCP, Duration.ofSeconds(10))) {
                        return c.play(150, Duration.ofSeconds(25));
                    }
                });
                Thread.sleep(2000);
                long cut = System.nanoTime();
                assertTrue(relay.disconnectPublisher("cam"), "the relay drops its publisher");
                await(() -> relay.hasPublisher("cam") && pusher.stats("cam").sessions() == 2, 5000, "the pusher's return");
                long backAfterMs = (System.nanoTime() - cut) / 1_000_000;
                Playback p = player.get(30, TimeUnit.SECONDS);

                assertTrue(backAfterMs >= 100, "it waited its backoff (200 ms, jittered down to half) before reconnecting: "
                        + backAfterMs + " ms");
                assertEquals(0, p.errors(), "the player decodes on across the cut: it resumes at an IDR");
                assertTrue(p.startedAtIdr());
                assertEquals(150, p.frames().size());
                RtspPushStats stats = pusher.stats("cam");
                assertEquals(2, stats.sessions());
                assertTrue(publisher.keyframeRequests() >= 2, "an IDR was asked for at each RECORD: " + publisher.keyframeRequests());
            }
        }
    }

    @Test
    void whileTheRelayIsDownThePusherBacksOffAndARestartedRelayIsPlayedFromItsFirstIdr() throws Exception {
        List<EncodedFrame> loop = loop(Codec.H265, "h265/cars_320x240.h265");
        List<Frame> reference = Decoded.of(loop).frames();
        PacedPublisher[] camera = new PacedPublisher[1];
        RtspServer relay = relay(0);
        int port = relay.port();
        try (RtspPushClient pusher = RtspPushClient.builder().url("rtsp://127.0.0.1:" + port + "/")
                .reconnectBackoffMs(100, 800).keyframeRequester(c -> camera[0].requestKeyframe()).build()) {
            camera[0] = new PacedPublisher("cam", loop, 30, pusher::publish);
            try (PacedPublisher publisher = camera[0]) {
                await(() -> relay.hasPublisher("cam"), 5000, "the pusher's RECORD");
                relay.close();
                long attemptsBefore = pusher.stats("cam").connectAttempts();
                Thread.sleep(3000);
                long attempts = pusher.stats("cam").connectAttempts() - attemptsBefore;
                // Backoff 100, 200, 400, 800, 800... ms (each jittered down to at most half): 3 to 9 attempts
                // in 3 s, where retrying every 100 ms would make 30.
                assertTrue(attempts >= 3 && attempts <= 9, attempts + " connection attempts in 3 s");
                assertTrue(!pusher.stats("cam").recording());

                try (RtspServer restarted = relay(port)) {
                    await(() -> restarted.hasPublisher("cam"), 3000, "the pusher's return to the restarted relay");
                    try (FfmpegRtspClient player = FfmpegRtspClient.open(restarted.url("cam"), Transport.UDP,
                            Duration.ofSeconds(10))) {
                        Playback p = player.play(60, Duration.ofSeconds(15));
                        assertTrue(p.startedAtIdr());
                        assertEquals(0, p.errors());
                        PlaneStats stats = ReferenceFrames.compare(p.frames(), reference);
                        assertEquals(99.0, stats.psnr(0), stats.toString());
                    }
                }
                assertNull(publisher.failure());
            }
        } finally {
            relay.close();
        }
    }
}
