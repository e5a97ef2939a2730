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
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FFmpeg's RTSP client pulls a channel from the embedded server over real loopback sockets and
 * decodes it: what it decodes must be exactly what the published access units decode to. The session
 * timeout is 2 s while each play lasts about 4 s, so the player's keepalives must hold its session.
 */
class RtspPlaybackTest {

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of(Codec.H264, "h264/cars_320x240.h264", Transport.TCP),
                Arguments.of(Codec.H265, "h265/cars_320x240.h265", Transport.TCP),
                Arguments.of(Codec.H264, "h264/cars_320x240.h264", Transport.UDP),
                Arguments.of(Codec.H265, "h265/cars_320x240.h265", Transport.UDP));
    }

    @ParameterizedTest(name = "{0} {1} over {2}")
    @MethodSource("streams")
    void ffmpegPlaysAChannelFromItsFirstIdrWithoutErrorsAndDecodesExactlyThePublishedPictures(Codec codec, String file,
            Transport transport) throws Exception {
        List<EncodedFrame> loop = Decoded.accessUnits(codec, TestData.readAll(TestData.bitstream(file)), "cam");
        Decoded reference = Decoded.of(loop);
        assertEquals(0, reference.errors());
        List<Frame> referenceFrames = reference.frames();

        RtspServerConfig config = RtspServerConfig.builder().port(0).sessionTimeoutSeconds(2).build();
        try (RtspServer server = RtspServer.builder().config(config).build().start();
                PacedPublisher publisher = new PacedPublisher("cam", loop, 30, server::publish);
                FfmpegRtspClient client = FfmpegRtspClient.open(server.url("cam"), transport, Duration.ofSeconds(10))) {
            assertEquals(codec, client.codec(), "the SDP's rtpmap names the codec");
            Playback playback = client.play(110, Duration.ofSeconds(30));

            assertTrue(playback.startedAtIdr(), "the first access unit the player got holds an IDR");
            assertEquals(0, playback.errors(), "decode errors");
            assertTrue(playback.frames().size() >= 100, "decoded " + playback.frames().size());
            PlaneStats stats = ReferenceFrames.compare(playback.frames(), referenceFrames);
            for (int plane = 0; plane < 3; plane++) {
                assertEquals(99.0, stats.psnr(plane), "plane " + plane + " must be identical: " + stats);
            }
            List<RtspClientStats> clients = server.clients("cam");
            assertEquals(1, clients.size());
            assertEquals(transport.name().toLowerCase(java.util.Locale.ROOT), clients.get(0).transport());
            assertEquals(0, clients.get(0).droppedFrames());
            assertNull(publisher.failure());
        }
    }
}
