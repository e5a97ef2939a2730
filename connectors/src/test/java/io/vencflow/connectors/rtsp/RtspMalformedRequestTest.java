package io.vencflow.connectors.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vencflow.connectors.testing.FfmpegRtspClient;
import io.vencflow.connectors.testing.FfmpegRtspClient.Playback;
import io.vencflow.connectors.testing.FfmpegRtspClient.Transport;
import io.vencflow.connectors.testing.PacedPublisher;
import io.vencflow.connectors.testing.RawRtspClient;
import io.vencflow.connectors.testing.RawRtspClient.Response;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.testing.TestData;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bank of malformed and hostile requests over raw sockets: each gets the 4xx it deserves, or its
 * connection is closed (after a status when the stream can no longer be trusted), and never more than
 * that: a normal player still plays afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RtspMalformedRequestTest {
    private static final int READ_TIMEOUT_MS = 3000;

    private RtspServer server;
    private PacedPublisher publisher;
    private final AtomicInteger casesRun = new AtomicInteger();

    /** What the server must do with a case's bytes. */
    record Expect(int code, boolean mustClose) {
        static Expect status(int code) {
            return new Expect(code, false);
        }

        static Expect statusThenClosed(int code) {
            return new Expect(code, true);
        }

        /** Closed, with at most 4xx/505 responses before. */
        static Expect closed() {
            return new Expect(-1, true);
        }

        @Override
        public String toString() {
            return code < 0 ? "closed" : mustClose ? code + " then closed" : Integer.toString(code);
        }
    }

    /** Sends a case's bytes; runs on its own thread so that trickling senders can go on while the test reads. */
    @FunctionalInterface
    interface Sender {
        void send(OutputStream out, Context c) throws Exception;
    }

    /** What a case may need: the server's port and URLs, and a valid session of another connection. */
    record Context(int port, String url) {
        String otherConnectionsSession() throws IOException {
            RawRtspClient other = new RawRtspClient(port, READ_TIMEOUT_MS);
            Response setup = other.request("SETUP", url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
            // Kept open until the JVM ends the test: the session lives with its connection.
            OTHER_CONNECTIONS.add(other);
            return setup.header("Session").split(";")[0];
        }
    }

    static final List<RawRtspClient> OTHER_CONNECTIONS = new ArrayList<>();

    record Case(String name, Sender sender, Expect expect) {
        @Override
        public String toString() {
            return name + " -> " + expect;
        }
    }

    private static Case text(String name, String request, Expect expect) {
        return new Case(name, (out, c) -> write(out, request.replace("{url}", c.url())), expect);
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String req(String method, String url, String... headers) {
        StringBuilder b = new StringBuilder(method + " " + url + " RTSP/1.0\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    /** A request with CSeq 1 and the given headers. */
    private static String req1(String method, String url, String... headers) {
        String[] all = new String[headers.length + 1];
        all[0] = "CSeq: 1";
        System.arraycopy(headers, 0, all, 1, headers.length);
        return req(method, url, all);
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        byte[] garbage = new byte[300];
        new Random(42).nextBytes(garbage);
        garbage[0] = 0;
        // Not RTSP at all
        c.add(new Case("binary garbage", (out, x) -> out.write(garbage), Expect.statusThenClosed(400)));
        c.add(new Case("TLS ClientHello", (out, x) -> out.write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0, 0,
                (byte) 0xa1, 0x03, 0x03}), Expect.statusThenClosed(400)));
        c.add(text("HTTP GET", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", Expect.statusThenClosed(505)));
        c.add(text("RTSP/2.0 request", "OPTIONS * RTSP/2.0\r\nCSeq: 1\r\n\r\n", Expect.statusThenClosed(505)));
        c.add(text("a response sent to the server", "RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n", Expect.statusThenClosed(400)));
        c.add(text("request line of two words", "OPTIONS RTSP/1.0\r\nCSeq: 1\r\n\r\n", Expect.statusThenClosed(400)));
        c.add(text("NUL byte in the method", "OPT\0IONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n", Expect.statusThenClosed(400)));
        c.add(text("header line without a colon", "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nNoColonHere\r\n\r\n",
                Expect.statusThenClosed(400)));
        c.add(text("space inside a header name", "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nBad Name: x\r\n\r\n",
                Expect.statusThenClosed(400)));
        c.add(text("nothing but line ends", "\r\n".repeat(2000), Expect.statusThenClosed(400)));
        // Sizes
        c.add(text("request line over the limit", req1("DESCRIBE", "{url}/" + "a".repeat(2000)),
                Expect.statusThenClosed(414)));
        c.add(text("request line that never ends", "DESCRIBE rtsp://127.0.0.1/" + "a".repeat(3000),
                Expect.statusThenClosed(414)));
        c.add(text("request head over the limit", req1("OPTIONS", "*", "X-Pad: " + "p".repeat(1500), "X-Pad2: "
                + "p".repeat(1500), "X-Pad3: " + "p".repeat(1500)), Expect.statusThenClosed(400)));
        c.add(text("one header of 5000 bytes", req1("OPTIONS", "*", "X-Big: " + "b".repeat(5000)),
                Expect.statusThenClosed(400)));
        String[] many = new String[40];
        for (int i = 0; i < many.length; i++) {
            many[i] = "X-H" + i + ": v";
        }
        c.add(text("40 headers, 32 allowed", req1("OPTIONS", "*", many), Expect.statusThenClosed(400)));
        c.add(text("body over the limit", req1("SET_PARAMETER", "{url}", "Content-Length: 100000"),
                Expect.statusThenClosed(413)));
        c.add(text("negative Content-Length", req1("SET_PARAMETER", "{url}", "Content-Length: -5"),
                Expect.statusThenClosed(400)));
        c.add(text("Content-Length not a number", req1("SET_PARAMETER", "{url}", "Content-Length: ten"),
                Expect.statusThenClosed(400)));
        c.add(text("two different Content-Lengths", req1("SET_PARAMETER", "{url}", "Content-Length: 3",
                "Content-Length: 4") + "abcd", Expect.statusThenClosed(400)));
        // Slow or silent senders
        c.add(text("body that never arrives", req1("SET_PARAMETER", "{url}", "Content-Length: 100") + "only ten..",
                Expect.statusThenClosed(408)));
        c.add(new Case("slowloris: request trickled byte by byte", (out, x) -> {
            byte[] r = req1("OPTIONS", "*", "User-Agent: slow").getBytes(StandardCharsets.US_ASCII);
            for (byte b : r) {
                out.write(b);
                out.flush();
                Thread.sleep(100);
            }
        }, Expect.statusThenClosed(408)));
        c.add(new Case("slowloris: a header line every 200 ms, forever", (out, x) -> {
            write(out, "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n");
            for (int i = 0; i < 30; i++) {
                Thread.sleep(200);
                write(out, "X-Slow-" + i + ": still here\r\n");
            }
        }, Expect.statusThenClosed(408)));
        c.add(new Case("connection that sends nothing", (out, x) -> { }, Expect.closed()));
        c.add(new Case("interleaved frame before any SETUP", (out, x) -> out.write(new byte[] {'$', 0, 0, 4, 1, 2, 3, 4}),
                Expect.closed()));
        c.add(new Case("interleaved frame announcing 65535 bytes, sending 10", (out, x) -> out.write(
                new byte[] {'$', 0, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), Expect.statusThenClosed(408)));
        c.add(new Case("more than 16 requests queued behind a waiting DESCRIBE", (out, x) -> {
            StringBuilder b = new StringBuilder(req("DESCRIBE", x.url().replace("/cam", "/nobody"), "CSeq: 1"));
            for (int i = 2; i < 30; i++) {
                b.append(req("OPTIONS", "*", "CSeq: " + i));
            }
            write(out, b.toString());
        }, Expect.closed()));
        // Methods
        c.add(text("unknown method", req1("FOO", "{url}"), Expect.status(405)));
        // (Netty's RTSP decoder upper-cases method names, so "options" is served as OPTIONS.)
        c.add(text("method that is almost PLAY", req1("PLAYX", "{url}"), Expect.status(405)));
        c.add(text("REDIRECT", req1("REDIRECT", "{url}"), Expect.status(405)));
        c.add(text("ANNOUNCE to a server without publishers", req1("ANNOUNCE", "{url}", "Content-Type: application/sdp",
                "Content-Length: 4") + "v=0\n", Expect.status(405)));
        c.add(text("RECORD to a server without publishers", req1("RECORD", "{url}", "Session: 1"), Expect.status(405)));
        // CSeq
        c.add(text("no CSeq", req("OPTIONS", "*"), Expect.status(400)));
        c.add(text("CSeq not a number", req("OPTIONS", "*", "CSeq: one"), Expect.status(400)));
        c.add(text("negative CSeq", req("OPTIONS", "*", "CSeq: -1"), Expect.status(400)));
        c.add(text("CSeq beyond 32 bits", req("OPTIONS", "*", "CSeq: 99999999999"), Expect.status(400)));
        c.add(text("two CSeq headers", req("OPTIONS", "*", "CSeq: 1", "CSeq: 2"), Expect.status(400)));
        c.add(text("empty CSeq", req("OPTIONS", "*", "CSeq:"), Expect.status(400)));
        // URLs
        c.add(text("http URL", req1("DESCRIBE", "http://127.0.0.1/cam"), Expect.status(400)));
        c.add(text("relative URL", req1("DESCRIBE", "/cam"), Expect.status(400)));
        c.add(text("* for DESCRIBE", req1("DESCRIBE", "*"), Expect.status(400)));
        c.add(text("URL without a channel", req1("DESCRIBE", "rtsp://127.0.0.1:1/"), Expect.status(404)));
        c.add(text("channel '..'", req1("DESCRIBE", "rtsp://127.0.0.1:1/.."), Expect.status(400)));
        c.add(text("path traversal", req1("DESCRIBE", "rtsp://127.0.0.1:1/../../etc/passwd"), Expect.status(404)));
        c.add(text("percent-encoded channel", req1("DESCRIBE", "rtsp://127.0.0.1:1/%63am"), Expect.status(400)));
        c.add(text("channel with '$'", req1("DESCRIBE", "rtsp://127.0.0.1:1/ca$m"), Expect.status(400)));
        c.add(text("channel id of 65 characters", req1("DESCRIBE", "rtsp://127.0.0.1:1/" + "c".repeat(65)),
                Expect.status(400)));
        c.add(text("non-ASCII URL", req1("DESCRIBE", "rtsp://127.0.0.1:1/caméra"), Expect.status(400)));
        c.add(text("unknown channel", req1("DESCRIBE", "rtsp://127.0.0.1:1/nobody"), Expect.status(404)));
        c.add(text("DESCRIBE accepting only HTML", req1("DESCRIBE", "{url}", "Accept: text/html"), Expect.status(406)));
        // SETUP and Transport
        c.add(text("SETUP of an unknown channel", req1("SETUP", "rtsp://127.0.0.1:1/nobody/trackID=0",
                "Transport: RTP/AVP/TCP;unicast;interleaved=0-1"), Expect.status(404)));
        c.add(text("SETUP of an unknown track", req1("SETUP", "{url}/trackID=5",
                "Transport: RTP/AVP/TCP;unicast;interleaved=0-1"), Expect.status(404)));
        c.add(text("SETUP without Transport", req1("SETUP", "{url}/trackID=0"), Expect.status(461)));
        c.add(text("Transport garbage", req1("SETUP", "{url}/trackID=0", "Transport: foo"), Expect.status(461)));
        c.add(text("multicast", req1("SETUP", "{url}/trackID=0", "Transport: RTP/AVP;multicast;port=5000-5001"),
                Expect.status(461)));
        c.add(text("SRTP profile", req1("SETUP", "{url}/trackID=0", "Transport: RTP/SAVP;unicast;client_port=5000-5001"),
                Expect.status(461)));
        c.add(text("interleaved channels over 255", req1("SETUP", "{url}/trackID=0",
                "Transport: RTP/AVP/TCP;unicast;interleaved=300-301"), Expect.status(461)));
        c.add(text("client ports over 65535", req1("SETUP", "{url}/trackID=0",
                "Transport: RTP/AVP;unicast;client_port=70000-70001"), Expect.status(461)));
        c.add(text("client port 0", req1("SETUP", "{url}/trackID=0", "Transport: RTP/AVP;unicast;client_port=0-1"),
                Expect.status(461)));
        c.add(text("UDP without client ports", req1("SETUP", "{url}/trackID=0", "Transport: RTP/AVP;unicast"),
                Expect.status(461)));
        c.add(text("media to another host", req1("SETUP", "{url}/trackID=0",
                "Transport: RTP/AVP;unicast;destination=203.0.113.9;client_port=5000-5001"), Expect.status(461)));
        c.add(text("mode=record without ANNOUNCE", req1("SETUP", "{url}/trackID=0",
                "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record"), Expect.status(455)));
        c.add(text("SETUP naming an unknown session", req1("SETUP", "{url}/trackID=0", "Session: 0123456789ABCDEF",
                "Transport: RTP/AVP/TCP;unicast;interleaved=0-1"), Expect.status(454)));
        // Sessions
        c.add(text("PLAY without Session", req1("PLAY", "{url}"), Expect.status(454)));
        c.add(text("PLAY of an unknown session", req1("PLAY", "{url}", "Session: 0123456789ABCDEF"), Expect.status(454)));
        c.add(text("PAUSE of an unknown session", req1("PAUSE", "{url}", "Session: 0123456789ABCDEF"), Expect.status(454)));
        c.add(text("TEARDOWN of an unknown session", req1("TEARDOWN", "{url}", "Session: 0123456789ABCDEF"),
                Expect.status(454)));
        c.add(text("GET_PARAMETER of an unknown session", req1("GET_PARAMETER", "{url}", "Session: 0123456789ABCDEF"),
                Expect.status(454)));
        c.add(text("SET_PARAMETER of an unknown session", req1("SET_PARAMETER", "{url}", "Session: 0123456789ABCDEF"),
                Expect.status(454)));
        c.add(text("session id of 1000 characters", req1("PLAY", "{url}", "Session: " + "A".repeat(1000)),
                Expect.status(454)));
        c.add(new Case("PLAY of another connection's interleaved session", (out, x) -> write(out,
                req1("PLAY", x.url(), "Session: " + x.otherConnectionsSession())), Expect.status(454)));
        c.add(text("SET_PARAMETER with a parameter", req1("SET_PARAMETER", "{url}", "Content-Type: text/parameters",
                "Content-Length: 12") + "volume: 11\r\n", Expect.status(451)));
        return c;
    }

    @BeforeAll
    void start() {
        RtspServerConfig config = RtspServerConfig.builder().port(0).requestTimeoutMs(500).idleTimeoutMs(1000)
                .describeWaitMs(200).maxRequestLineBytes(1024).maxHeaderBytes(4096).maxHeaderCount(32)
                .maxContentBytes(4096).build();
        server = RtspServer.builder().config(config).build().start();
        publisher = new PacedPublisher("cam", Decoded.accessUnits(Codec.H264,
                TestData.readAll(TestData.bitstream("h264/cars_320x240.h264")), "cam"), 30, server::publish);
    }

    @AfterAll
    void stop() throws Exception {
        for (RawRtspClient c : OTHER_CONNECTIONS) {
            c.close();
        }
        publisher.close();
        server.close();
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aMalformedOrHostileRequestGetsItsStatusOrItsConnectionClosed(Case k) throws Exception {
        assertTrue(cases().size() >= 50, "the bank holds " + cases().size() + " cases");
        casesRun.incrementAndGet();
        Context context = new Context(server.port(), server.url("cam"));
        try (RawRtspClient client = new RawRtspClient(server.port(), READ_TIMEOUT_MS)) {
            Thread sender = new Thread(() -> {
                try {
                    k.sender().send(clientOutput(client), context);
                } catch (Exception e) {
                    // the server closed the connection while we were still sending: that is an answer
                }
            });
            sender.setDaemon(true);
            sender.start();
            List<Integer> statuses = new ArrayList<>();
            boolean closed = false;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < deadline) {
                try {
                    Response r = client.readResponse();
                    statuses.add(r.status());
                    if (!k.expect().mustClose()) {
                        break;
                    }
                } catch (EOFException | java.net.SocketException e) {
                    closed = true;
                    break;
                } catch (SocketTimeoutException e) {
                    break;
                } catch (IOException e) {
                    fail(k + ": unreadable answer: " + e.getMessage());
                }
            }
            sender.join(100);
            Expect e = k.expect();
            if (e.code() >= 0) {
                assertTrue(!statuses.isEmpty(), k + ": no response" + (closed ? ", connection closed" : ""));
                assertEquals(e.code(), statuses.get(0), k + ": statuses " + statuses);
            }
            for (int s : statuses) {
                assertTrue((s >= 400 && s < 500) || (s == 505 && closed), k + ": status " + s + " in " + statuses);
            }
            if (e.mustClose()) {
                assertTrue(closed, k + ": the connection must be closed; statuses " + statuses);
            }
        }
    }

    private static OutputStream clientOutput(RawRtspClient client) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                client.send(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                byte[] copy = new byte[len];
                System.arraycopy(b, off, copy, 0, len);
                client.send(copy);
            }
        };
    }

    @Order(2)
    @Test
    void aSecondSetupInOneSessionIsRefusedAndTheSessionStillPlays() throws Exception {
        try (RawRtspClient c = new RawRtspClient(server.port(), READ_TIMEOUT_MS)) {
            String url = server.url("cam");
            Response setup = c.request("SETUP", url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
            assertEquals(200, setup.status());
            String id = setup.header("Session").split(";")[0];
            assertEquals(455, c.request("SETUP", url + "/trackID=0", "Session: " + id,
                    "Transport: RTP/AVP/TCP;unicast;interleaved=2-3").status());
            assertEquals(455, c.request("PLAY", server.url("other"), "Session: " + id).status(),
                    "PLAY naming another channel than the session's");
            assertEquals(200, c.request("PLAY", url, "Session: " + id).status());
        }
    }

    @Order(2)
    @Test
    void setupsBeyondTheSessionLimitsAreRefusedWith453() throws Exception {
        String url = server.url("cam");
        try (RawRtspClient c = new RawRtspClient(server.port(), READ_TIMEOUT_MS)) {
            for (int i = 0; i < 16; i++) {
                assertEquals(200, c.request("SETUP", url + "/trackID=0",
                        "Transport: RTP/AVP;unicast;client_port=" + (40000 + 2 * i) + "-" + (40001 + 2 * i)).status());
            }
            assertEquals(453, c.request("SETUP", url + "/trackID=0", "Transport: RTP/AVP;unicast;client_port=41000-41001")
                    .status(), "the 17th session of one connection");
        }
        RtspServer small = RtspServer.builder().config(RtspServerConfig.builder().port(0).maxSessions(2).build()).build()
                .start();
        try (small; RawRtspClient a = new RawRtspClient(small.port(), READ_TIMEOUT_MS);
                RawRtspClient b = new RawRtspClient(small.port(), READ_TIMEOUT_MS)) {
            small.publish(Decoded.accessUnits(Codec.H264, TestData.readAll(TestData.bitstream("h264/cars_320x240.h264")),
                    "cam").get(0));
            String smallUrl = small.url("cam") + "/trackID=0";
            assertEquals(200, a.request("SETUP", smallUrl, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1").status());
            assertEquals(200, a.request("SETUP", smallUrl, "Transport: RTP/AVP/TCP;unicast;interleaved=2-3").status());
            assertEquals(453, b.request("SETUP", smallUrl, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1").status(),
                    "the server's third session with a limit of 2");
        }
    }

    @Order(3)
    @Test
    void aNormalPlayerStillPlaysAfterTheWholeBank() throws Exception {
        assertTrue(casesRun.get() >= 50, "ran " + casesRun.get() + " cases first");
        try (FfmpegRtspClient c = FfmpegRtspClient.open(server.url("cam"), Transport.TCP, Duration.ofSeconds(10))) {
            Playback p = c.play(60, Duration.ofSeconds(10));
            assertEquals(0, p.errors());
            assertTrue(p.startedAtIdr());
        }
        assertTrue(publisher.failure() == null);
    }
}
