package io.vencflow.connectors.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.testing.PacedPublisher;
import io.vencflow.connectors.testing.RawRtspClient;
import io.vencflow.connectors.testing.RawRtspClient.Response;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.testing.TestData;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Sessions live while their client shows signs of life and are reaped after the timeout when it does not. */
class RtspSessionTimeoutTest {
    private static final int TIMEOUT_S = 1;

    private static List<EncodedFrame> cars() {
        return Decoded.accessUnits(Codec.H264, TestData.readAll(TestData.bitstream("h264/cars_320x240.h264")), "cam");
    }

    private static RtspServer server() {
        return RtspServer.builder().config(RtspServerConfig.builder().port(0).sessionTimeoutSeconds(TIMEOUT_S).build())
                .build().start();
    }

    private static String sessionId(Response setup) {
        return setup.header("Session").split(";")[0];
    }

    /** Waits until the server has no client, or fails after {@code ms}. Returns how long it took. */
    private static long awaitNoClients(RtspServer server, long ms) throws InterruptedException {
        long start = System.nanoTime();
        while (!server.clients().isEmpty()) {
            if (System.nanoTime() - start > ms * 1_000_000) {
                throw new AssertionError("clients still there after " + ms + " ms: " + server.clients());
            }
            Thread.sleep(20);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static boolean receivesRtp(DatagramSocket socket, int timeoutMs) throws Exception {
        socket.setSoTimeout(timeoutMs);
        byte[] buf = new byte[2048];
        try {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            return p.getLength() >= 12 && (buf[0] & 0xc0) == 0x80 && (buf[1] & 0x7f) == 96;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Test
    void aUdpSessionOutlivesItsConnectionWhileItsClientReportsAndIsReapedWhenItFallsSilent() throws Exception {
        try (RtspServer server = server();
                PacedPublisher publisher = new PacedPublisher("cam", cars(), 30, server::publish);
                DatagramSocket rtp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                DatagramSocket rtcp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            String url = server.url("cam");
            // RTCP receiver reports from the client's RTCP port, every 250 ms while the flag is up.
            AtomicBoolean reporting = new AtomicBoolean(true);
            InetSocketAddress serverRtcp = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.udpRtpPort() + 1);
            Thread reporter = new Thread(() -> {
                byte[] rr = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1};
                try {
                    while (reporting.get()) {
                        rtcp.send(new DatagramPacket(rr, rr.length, serverRtcp));
                        Thread.sleep(250);
                    }
                } catch (Exception e) {
                    // the socket closed: the test is over
                }
            });
            try (RawRtspClient c = new RawRtspClient(server.port(), 5000)) {
                assertEquals(200, c.request("DESCRIBE", url).status());
                Response setup = c.request("SETUP", url + "/trackID=0",
                        "Transport: RTP/AVP;unicast;client_port=" + rtp.getLocalPort() + "-" + rtcp.getLocalPort());
                assertEquals(200, setup.status());
                assertTrue(setup.header("Transport").contains(";server_port=" + server.udpRtpPort() + "-"
                        + (server.udpRtpPort() + 1) + ";"), setup.header("Transport"));
                assertEquals(0, server.udpRtpPort() % 2, "the server's RTP port is even");
                assertEquals(200, c.request("PLAY", url, "Session: " + sessionId(setup)).status());
                reporter.start();
                assertTrue(receivesRtp(rtp, 3000), "RTP arrives at the client's port");
            }
            Thread.sleep(2000);
            assertEquals(1, server.clients("cam").size(),
                    "alive 2 s after its connection closed, with a 1 s timeout, while the client reports");
            assertTrue(receivesRtp(rtp, 1000));

            reporting.set(false);
            reporter.join(2000);
            long reapedAfterMs = awaitNoClients(server, 3000);
            assertTrue(reapedAfterMs >= 500, "reaped after " + reapedAfterMs + " ms of silence; the timeout is 1 s");
            while (receivesRtp(rtp, 300)) {
                // drain what was in flight before the reaping
            }
            assertFalse(receivesRtp(rtp, 700), "no RTP after the session was reaped");
            assertNull(publisher.failure());
        }
    }

    @Test
    void aTcpPlayerThatNeverSendsAnythingAfterPlayIsReapedAndDisconnected() throws Exception {
        try (RtspServer server = server();
                PacedPublisher publisher = new PacedPublisher("cam", cars(), 30, server::publish);
                RawRtspClient c = new RawRtspClient(server.port(), 5000)) {
            String url = server.url("cam");
            assertEquals(200, c.request("DESCRIBE", url).status());
            Response setup = c.request("SETUP", url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
            assertEquals(200, c.request("PLAY", url, "Session: " + sessionId(setup)).status());
            assertEquals(1, server.clients().size());
            long start = System.nanoTime();
            assertTrue(c.closedByServer(), "the server closes the connection of the reaped session");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 500 && ms < 3000, "closed after " + ms + " ms; the timeout is 1 s");
            awaitNoClients(server, 1000);
            assertNull(publisher.failure());
        }
    }

    @Test
    void keepalivesHoldATcpSessionAndAnUnknownSessionIdIsRefused() throws Exception {
        try (RtspServer server = server();
                PacedPublisher publisher = new PacedPublisher("cam", cars(), 30, server::publish);
                RawRtspClient c = new RawRtspClient(server.port(), 5000)) {
            String url = server.url("cam");
            assertEquals(200, c.request("DESCRIBE", url).status());
            Response setup = c.request("SETUP", url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
            String id = sessionId(setup);
            assertEquals(200, c.request("PLAY", url, "Session: " + id).status());
            for (int i = 0; i < 6; i++) {
                Thread.sleep(400);
                assertEquals(200, c.request("GET_PARAMETER", url, "Session: " + id).status());
            }
            assertEquals(1, server.clients().size(), "alive after 2.4 s of keepalives with a 1 s timeout");
            assertEquals(454, c.request("GET_PARAMETER", url, "Session: 0123456789ABCDEF").status());
            assertNull(publisher.failure());
        }
    }
}
