package io.vencflow.connectors.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.rtsp.internal.DigestAuthenticator;
import io.vencflow.connectors.testing.FfmpegRtspClient;
import io.vencflow.connectors.testing.FfmpegRtspClient.Playback;
import io.vencflow.connectors.testing.FfmpegRtspClient.RtspClientException;
import io.vencflow.connectors.testing.FfmpegRtspClient.Transport;
import io.vencflow.connectors.testing.PacedPublisher;
import io.vencflow.connectors.testing.RawRtspClient;
import io.vencflow.connectors.testing.RawRtspClient.Response;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.testing.TestData;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** With users configured, every request must carry valid Digest credentials. */
class RtspDigestAuthTest {

    @Test
    void withoutCredentials401WithAChallengeWithThemFfmpegPlaysWithAWrongPassword401Again() throws Exception {
        RtspServerConfig config = RtspServerConfig.builder().port(0).user("alice", "s3cret").user("bob", "hunter2").build();
        try (RtspServer server = RtspServer.builder().config(config).build().start();
                PacedPublisher publisher = new PacedPublisher("cam", Decoded.accessUnits(Codec.H264,
                        TestData.readAll(TestData.bitstream("h264/cars_320x240.h264")), "cam"), 30, server::publish)) {
            String url = server.url("cam");
            try (RawRtspClient c = new RawRtspClient(server.port(), 5000)) {
                Response bare = c.request("DESCRIBE", url);
                assertEquals(401, bare.status());
                String challenge = bare.header("WWW-Authenticate");
                assertTrue(challenge.startsWith("Digest realm=\"vencflow\", nonce=\""), challenge);
                assertEquals("", bare.body(), "no SDP without credentials");

                SecureRandom random = new SecureRandom();
                Response good = c.request("DESCRIBE", url, "Authorization: "
                        + DigestAuthenticator.authorization(challenge, "DESCRIBE", url, "alice", "s3cret", random));
                assertEquals(200, good.status());
                assertTrue(good.body().contains("a=rtpmap:96 H264/90000"));

                Response bad = c.request("DESCRIBE", url, "Authorization: "
                        + DigestAuthenticator.authorization(challenge, "DESCRIBE", url, "alice", "S3CRET", random));
                assertEquals(401, bad.status());
                assertTrue(bad.header("WWW-Authenticate").startsWith("Digest "));
                assertEquals(401, c.request("OPTIONS", "*").status(), "every method needs credentials");
            }

            String withUser = url.replace("rtsp://", "rtsp://bob:hunter2@");
            try (FfmpegRtspClient c = FfmpegRtspClient.open(withUser, Transport.TCP, Duration.ofSeconds(10))) {
                Playback p = c.play(40, Duration.ofSeconds(10));
                assertEquals(0, p.errors());
                assertTrue(p.startedAtIdr());
            }
            String wrong = url.replace("rtsp://", "rtsp://bob:nope@");
            RtspClientException refused = assertThrows(RtspClientException.class,
                    () -> FfmpegRtspClient.open(wrong, Transport.TCP, Duration.ofSeconds(10)).close());
            assertTrue(refused.getMessage().contains("401"), refused.getMessage());
            RtspClientException anonymous = assertThrows(RtspClientException.class,
                    () -> FfmpegRtspClient.open(url, Transport.TCP, Duration.ofSeconds(10)).close());
            assertTrue(anonymous.getMessage().contains("401"), anonymous.getMessage());
            assertNull(publisher.failure());
        }
    }
}
