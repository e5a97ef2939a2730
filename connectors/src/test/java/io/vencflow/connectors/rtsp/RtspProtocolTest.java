package io.vencflow.connectors.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.testing.PacedPublisher;
import io.vencflow.connectors.testing.RawRtspClient;
import io.vencflow.connectors.testing.RawRtspClient.Interleaved;
import io.vencflow.connectors.testing.RawRtspClient.Response;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.testing.TestData;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The server's RTSP dialogue, request by request, as RFC 2326 has it. */
class RtspProtocolTest {

    @Test
    void pauseStopsTheRtpAndPlayResumesAtAnIdrWithTheSequenceAndClockCarryingOn() throws Exception {
        RtspServerConfig config = RtspServerConfig.builder().port(0).build();
        try (RtspServer server = RtspServer.builder().config(config).build().start();
                PacedPublisher publisher = new PacedPublisher("cam", cars(), 30, server::publish);
                RawRtspClient c = new RawRtspClient(server.port(), 5000)) {
            String url = server.url("cam");
            // The publisher thread may not have published the channel's first access unit yet: until
            // then SETUP is answered 404 (a loaded machine shows it); ask again for up to 5 s.
            Response setup = c.request("SETUP", url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
            for (long end = System.nanoTime() + 5_000_000_000L; setup.status() == 404 && System.nanoTime() < end; ) {
                Thread.sleep(50);
                setup = c.request("SETUP", url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
            }
            assertEquals(200, setup.status(), "SETUP of a published channel");
            String id = setup.header("Session").split(";")[0];
            assertEquals(200, c.request("PLAY", url, "Session: " + id).status());
            byte[] last = null;
            for (int i = 0; i < 20; i++) {
                Interleaved f = c.readInterleaved();
                if (f.channel() == 0) {
                    last = f.data();
                }
            }
            assertEquals(200, c.request("PAUSE", url, "Session: " + id).status());
            if (c.lastSkipped(0) != null) {
                last = c.lastSkipped(0).data(); // packets that came in front of the PAUSE answer
            }
            // What was queued before the PAUSE may still arrive; then nothing for a second.
            c.timeout(1000);
            try {
                while (true) {
                    Interleaved f = c.readInterleaved();
                    if (f.channel() == 0) {
                        last = f.data();
                    }
                }
            } catch (java.net.SocketTimeoutException expected) {
                // quiet: paused
            }
            c.timeout(5000);
            int lastSeq = ((last[2] & 0xff) << 8) | (last[3] & 0xff);
            int lastTimestamp = readInt(last, 4);
            Response play = c.request("PLAY", url, "Session: " + id);
            assertEquals(200, play.status());
            assertTrue(play.header("RTP-Info").contains(";seq=" + ((lastSeq + 1) & 0xffff) + ";"),
                    "RTP-Info announces the next sequence number: " + play.header("RTP-Info") + " after " + lastSeq);
            Interleaved first = c.readInterleaved();
            while (first.channel() != 0) {
                first = c.readInterleaved();
            }
            byte[] rtp = first.data();
            assertEquals((lastSeq + 1) & 0xffff, ((rtp[2] & 0xff) << 8) | (rtp[3] & 0xff), "the sequence carries on");
            assertEquals(7, rtp[12] & 0x1f, "resumes at an IDR access unit, SPS first");
            int elapsedMs = (readInt(rtp, 4) - lastTimestamp) / 90;
            assertTrue(elapsedMs >= 1000 && elapsedMs < 5000,
                    "the RTP clock ran on through the pause (never reset): " + elapsedMs + " ms");
            assertEquals(1, server.clients().size());
        }
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static List<EncodedFrame> cars() {
        return Decoded.accessUnits(Codec.H264, TestData.readAll(TestData.bitstream("h264/cars_320x240.h264")), "cam");
    }

    @Test
    void aTcpPlayerGetsOptionsSdpInterleavedTransportSessionRtpInfoAndRtpPacketsThenTearsDown() throws Exception {
        RtspServerConfig config = RtspServerConfig.builder().port(0).build();
        try (RtspServer server = RtspServer.builder().config(config).build().start();
                PacedPublisher publisher = new PacedPublisher("cam", cars(), 30, server::publish);
                RawRtspClient c = new RawRtspClient(server.port(), 5000)) {
            String url = server.url("cam");
            Response options = c.request("OPTIONS", url);
            assertEquals(200, options.status());
            assertEquals("1", options.header("CSeq"));
            assertEquals("OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER",
                    options.header("Public"));

            Response describe = c.request("DESCRIBE", url, "Accept: application/sdp");
            assertEquals(200, describe.status());
            assertEquals("application/sdp", describe.header("Content-Type"));
            assertEquals(url + "/", describe.header("Content-Base"));
            assertTrue(describe.body().contains("a=rtpmap:96 H264/90000"), describe.body());
            assertTrue(describe.body().contains("packetization-mode=1;profile-level-id=64000d;sprop-parameter-sets="),
                    describe.body());

            Response setup = c.request("SETUP", url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
            assertEquals(200, setup.status());
            assertTrue(setup.header("Transport").matches("RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=[0-9A-F]{8}"),
                    setup.header("Transport"));
            Matcher session = Pattern.compile("([0-9A-F]{16});timeout=60").matcher(setup.header("Session"));
            assertTrue(session.matches(), setup.header("Session"));
            String id = session.group(1);
            int ssrc = (int) Long.parseLong(setup.header("Transport").substring(setup.header("Transport").length() - 8), 16);

            Response play = c.request("PLAY", url, "Session: " + id, "Range: npt=0.000-");
            assertEquals(200, play.status());
            Matcher rtpInfo = Pattern.compile("url=" + Pattern.quote(url + "/trackID=0") + ";seq=(\\d+);rtptime=(\\d+)")
                    .matcher(play.header("RTP-Info"));
            assertTrue(rtpInfo.matches(), play.header("RTP-Info"));
            int firstSeq = Integer.parseInt(rtpInfo.group(1));

            // The first RTP packet follows on channel 0: the announced sequence number, our SSRC, and it
            // starts an IDR access unit (parameter sets first).
            Interleaved first = c.readInterleaved();
            while (first.channel() != 0) {
                first = c.readInterleaved();
            }
            byte[] rtp = first.data();
            assertEquals(0x80, rtp[0] & 0xff);
            assertEquals(96, rtp[1] & 0x7f);
            assertEquals(firstSeq, ((rtp[2] & 0xff) << 8) | (rtp[3] & 0xff));
            assertEquals(ssrc, ((rtp[8] & 0xff) << 24) | ((rtp[9] & 0xff) << 16) | ((rtp[10] & 0xff) << 8) | (rtp[11] & 0xff));
            assertEquals(7, rtp[12] & 0x1f, "a client starts at an IDR access unit, its SPS first");

            // Within 5 s an RTCP sender report comes on channel 1. Its counts are the packets and payload
            // bytes sent before it, and its RTP time maps the wall clock the way the packets' timestamps do.
            long packets = 1;
            long octets = rtp.length - 12;
            int lastTimestamp = readInt(rtp, 4);
            long deadline = System.nanoTime() + 7_000_000_000L;
            byte[] report = null;
            while (report == null && System.nanoTime() < deadline) {
                Interleaved f = c.readInterleaved();
                if (f.channel() == 0) {
                    packets++;
                    octets += f.data().length - 12;
                    lastTimestamp = readInt(f.data(), 4);
                } else if (f.channel() == 1 && (f.data()[1] & 0xff) == 200) {
                    report = f.data();
                }
            }
            assertTrue(report != null, "a sender report within 7 s");
            assertEquals(ssrc, readInt(report, 4));
            assertEquals(packets, readInt(report, 20) & 0xffffffffL, "sender's packet count");
            assertEquals(octets, readInt(report, 24) & 0xffffffffL, "sender's octet count");
            long ntpSeconds = (readInt(report, 8) & 0xffffffffL) - 2_208_988_800L;
            assertTrue(Math.abs(ntpSeconds - System.currentTimeMillis() / 1000) <= 2, "NTP time is now: " + ntpSeconds);
            int reportRtp = readInt(report, 16);
            int aheadMs = (reportRtp - lastTimestamp) / 90;
            assertTrue(aheadMs >= -5 && aheadMs < 500, "the report's RTP time is the last frame's capture time plus "
                    + "its way through the server, not " + aheadMs + " ms");

            Response keepalive = c.request("GET_PARAMETER", url, "Session: " + id);
            assertEquals(200, keepalive.status());
            Response teardown = c.request("TEARDOWN", url, "Session: " + id);
            assertEquals(200, teardown.status());
            assertEquals(0, server.clients().size(), "the session is gone after TEARDOWN");
            assertNotEquals(0, publisher.published());
        }
    }
}
