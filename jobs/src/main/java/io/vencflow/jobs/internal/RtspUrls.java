package io.vencflow.jobs.internal;

import io.vencflow.connectors.rtsp.RtspServerConfig;
import io.vencflow.connectors.rtsp.RtspSink;
import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalInt;

/** Where players find the channels of a local run's RTSP server. */
public final class RtspUrls {
    private RtspUrls() {
    }

    /**
     * Waits up to 30 s for this JVM's server (started by the first sink writer) and prints one URL per
     * channel, or the pattern when the channels are not known up front.
     */
    public static OptionalInt print(PrintWriter out, RtspServerConfig config, List<String> channels)
            throws InterruptedException {
        OptionalInt port = OptionalInt.empty();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (port.isEmpty() && System.nanoTime() < deadline) {
            port = RtspSink.localPort(config);
            if (port.isEmpty()) {
                Thread.sleep(100);
            }
        }
        if (port.isEmpty()) {
            out.println("RTSP: the server did not start within 30 s");
            return port;
        }
        String host = config.bindAddress().equals("0.0.0.0") ? hostName() : config.bindAddress();
        if (channels == null || channels.isEmpty()) {
            out.println("RTSP: rtsp://" + host + ":" + port.getAsInt() + "/<channel>");
        } else {
            for (String ch : channels) {
                out.println("RTSP: rtsp://" + host + ":" + port.getAsInt() + "/" + ch);
            }
        }
        out.flush();
        return port;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "<this host>";
        }
    }
}
