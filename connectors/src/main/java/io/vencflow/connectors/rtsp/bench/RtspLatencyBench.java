package io.vencflow.connectors.rtsp.bench;

import io.vencflow.connectors.rtsp.RtspServer;
import io.vencflow.connectors.rtsp.RtspServerConfig;
import io.vencflow.connectors.rtsp.internal.RtpClock;
import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Preset;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measures the embedded RTSP server's latency: from a frame's capture time (its {@code ptsMicros},
 * the wall clock when the camera scene was rendered) to the moment its last RTP packet was written to
 * the client's socket (a Netty write-completion listener), for a live camera encoded at the given
 * size and rate and one TCP client reading. Prints p50, p99 and max, split into capture to publish
 * (encoding) and publish to written (the server).
 *
 * <pre>
 * java -cp ... io.vencflow.connectors.rtsp.bench.RtspLatencyBench [--codec h264|h265] [--size 1280x720]
 *     [--fps 30] [--seconds 20] [--warmup-seconds 3] [--backend ffmpeg|jcodec|auto] [--preset veryfast]
 * </pre>
 */
public final class RtspLatencyBench {
    private final Map<String, String> options;
    private final Map<Long, Long> publishedAtMicros = new ConcurrentHashMap<>();
    private long[] totalMicros = new long[1024];
    private long[] serverMicros = new long[1024];
    private int samples;
    private volatile long recordFromMicros = Long.MAX_VALUE;

    private RtspLatencyBench(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("argument '" + args[i] + "' is not --name value; see the class Javadoc");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        new RtspLatencyBench(options).run();
    }

    private String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private synchronized void sent(long ptsMicros, long sentMicros) {
        if (ptsMicros < recordFromMicros) {
            return;
        }
        Long published = publishedAtMicros.remove(ptsMicros);
        if (samples == totalMicros.length) {
            totalMicros = Arrays.copyOf(totalMicros, samples * 2);
            serverMicros = Arrays.copyOf(serverMicros, samples * 2);
        }
        totalMicros[samples] = sentMicros - ptsMicros;
        serverMicros[samples] = published == null ? -1 : sentMicros - published;
        samples++;
    }

    private void run() throws Exception {
        Codec codec = Codec.parse(option("codec", "h264"));
        String[] size = option("size", "1280x720").split("x");
        int width = Integer.parseInt(size[0]);
        int height = Integer.parseInt(size[1]);
        int fps = Integer.parseInt(option("fps", "30"));
        int seconds = Integer.parseInt(option("seconds", "20"));
        int warmup = Integer.parseInt(option("warmup-seconds", "3"));
        Backend backend = Backend.parse(option("backend", "ffmpeg"));
        Preset preset = Preset.parse(option("preset", "veryfast"));
        EncoderConfig config = EncoderConfig.builder().codec(codec).size(width, height).fps(fps).backend(backend)
                .preset(preset).build();

        RtspServer server = RtspServer.builder().config(RtspServerConfig.builder().port(0).udpEnabled(false).build())
                .frameSentListener((channel, session, pts, sentAt) -> sent(pts, sentAt)).build().start();
        long frames = (long) (warmup + seconds) * fps;
        long encodeNanos = 0;
        String backendName;
        try (server; VideoEncoder encoder = VideoEncoder.open(config)) {
            backendName = encoder.backend().id() + " " + preset.id();
            SyntheticScene scene = new SyntheticScene("bench", width, height, PixelFormat.I420);
            DrainingPlayer player = null;
            long period = 1_000_000_000L / fps;
            long next = System.nanoTime();
            try {
                for (long seq = 0; seq < frames; seq++) {
                    byte[] picture = pixels(scene.render(seq, 0));
                    long capture = RtpClock.nowMicros(); // the picture is complete: the camera delivers it now
                    Frame frame = new Frame("bench", seq, capture, width, height, PixelFormat.I420, picture);
                    long t0 = System.nanoTime();
                    EncodedFrame au = encoder.encode(frame);
                    encodeNanos += System.nanoTime() - t0;
                    publishedAtMicros.put(capture, RtpClock.nowMicros());
                    server.publish(au);
                    if (seq == 0) {
                        player = new DrainingPlayer(server.port(), server.url("bench"));
                        encoder.requestKeyframe(); // the player starts at the next IDR
                    }
                    if (seq == (long) warmup * fps) {
                        recordFromMicros = capture;
                    }
                    next += period;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    }
                }
                Thread.sleep(200);
            } finally {
                if (player != null) {
                    player.close();
                }
            }
        }
        report(codec, backendName, width, height, fps, seconds, frames, encodeNanos);
    }

    private static byte[] pixels(Frame f) {
        byte[] b = new byte[f.pixels().remaining()];
        f.pixels().get(b);
        return b;
    }

    private synchronized void report(Codec codec, String backend, int width, int height, int fps, int seconds, long frames,
            long encodeNanos) {
        long[] total = Arrays.copyOf(totalMicros, samples);
        long[] srv = Arrays.stream(serverMicros, 0, samples).filter(v -> v >= 0).toArray();
        Arrays.sort(total);
        Arrays.sort(srv);
        System.out.printf("RTSP latency: %dx%d %d fps %s (%s backend), TCP interleaved, 1 client, %d frames measured over %d s "
                + "(after warm-up), mean encode %.2f ms%n", width, height, fps, codec, backend, samples, seconds,
                encodeNanos / 1e6 / frames);
        System.out.printf("  capture -> last RTP packet written: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                percentile(total, 50), percentile(total, 99), total.length == 0 ? 0 : total[total.length - 1] / 1000.0);
        System.out.printf("  publish -> last RTP packet written (server only): p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                percentile(srv, 50), percentile(srv, 99), srv.length == 0 ? 0 : srv[srv.length - 1] / 1000.0);
        if (samples < frames - (long) fps * 4) {
            System.out.printf("  WARNING: only %d of about %d frames reached the client%n", samples, (long) seconds * fps);
        }
    }

    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
    }

    /** A bare RTSP client over TCP: DESCRIBE, SETUP interleaved, PLAY, then reads and discards everything. */
    private static final class DrainingPlayer implements AutoCloseable {
        private final Socket socket;
        private final Thread reader;

        DrainingPlayer(int port, String url) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            request(out, in, "DESCRIBE " + url + " RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n\r\n");
            String setup = request(out, in, "SETUP " + url + "/trackID=0 RTSP/1.0\r\nCSeq: 2\r\n"
                    + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n");
            String session = setup.lines().filter(l -> l.regionMatches(true, 0, "Session:", 0, 8)).findFirst()
                    .orElseThrow(() -> new IOException("SETUP answered without a session: " + setup)).substring(8).trim()
                    .split(";")[0];
            request(out, in, "PLAY " + url + " RTSP/1.0\r\nCSeq: 3\r\nSession: " + session + "\r\n\r\n");
            reader = new Thread(() -> {
                byte[] buf = new byte[1 << 16];
                try {
                    while (in.read(buf) >= 0) {
                        // drain: the measurement is taken at the server
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "rtsp-bench-player");
            reader.setDaemon(true);
            reader.start();
        }

        private static String request(OutputStream out, InputStream in, String request) throws IOException {
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the server closed the connection; answer so far: " + head);
                }
                head.append((char) b);
            }
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            in.readNBytes(length);
            if (!head.toString().startsWith("RTSP/1.0 200")) {
                throw new IOException("request refused: " + head);
            }
            return head.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
