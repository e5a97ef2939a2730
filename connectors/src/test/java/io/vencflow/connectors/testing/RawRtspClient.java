package io.vencflow.connectors.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare RTSP client over a plain socket, for what a player never does: exact requests, malformed
 * bytes, reading interleaved frames by hand, or not reading at all. Every read has a timeout.
 */
public final class RawRtspClient implements AutoCloseable {
    /** A response: status code, headers (names lower-cased), body. */
    public record Response(int status, String reason, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One interleaved frame: channel and data. */
    public record Interleaved(int channel, byte[] data) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int cseq;
    private final Map<Integer, Interleaved> lastSkipped = new java.util.HashMap<>();

    public RawRtspClient(int port, int timeoutMs) throws IOException {
        this(port, timeoutMs, 0);
    }

    /** Connects to 127.0.0.1:port; a non-zero {@code receiveBufferBytes} shrinks SO_RCVBUF before connecting. */
    public RawRtspClient(int port, int timeoutMs, int receiveBufferBytes) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
        socket.setSoTimeout(timeoutMs);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public void timeout(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends a request with the next CSeq and the given extra header lines, and reads its response. */
    public Response request(String method, String url, String... headers) throws IOException {
        StringBuilder r = new StringBuilder(method).append(' ').append(url).append(" RTSP/1.0\r\nCSeq: ").append(++cseq)
                .append("\r\n");
        for (String h : headers) {
            r.append(h).append("\r\n");
        }
        send(r.append("\r\n").toString());
        return readResponse();
    }

    /** Reads the next response, skipping interleaved frames before it. */
    public Response readResponse() throws IOException {
        while (true) {
            int first = read();
            if (first == '$') {
                Interleaved skipped = readInterleavedBody();
                lastSkipped.put(skipped.channel(), skipped);
                continue;
            }
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.write(first);
            while (!endsWithBlankLine(head)) {
                head.write(read());
                if (head.size() > 65536) {
                    throw new IOException("response head over 64 KiB");
                }
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            String[] status = lines[0].split(" ", 3);
            if (status.length < 2 || !status[0].startsWith("RTSP/")) {
                throw new IOException("not an RTSP status line: " + lines[0]);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            int length = headers.containsKey("content-length") ? Integer.parseInt(headers.get("content-length")) : 0;
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                throw new EOFException("response body cut short");
            }
            return new Response(Integer.parseInt(status[1]), status.length > 2 ? status[2] : "", headers,
                    new String(body, StandardCharsets.UTF_8));
        }
    }

    /** The last interleaved frame of a channel that {@link #readResponse} skipped, or null. */
    public Interleaved lastSkipped(int channel) {
        return lastSkipped.get(channel);
    }

    /** Reads the next interleaved frame (skipping nothing: a response here is an error). */
    public Interleaved readInterleaved() throws IOException {
        int first = read();
        if (first != '$') {
            throw new IOException("expected an interleaved frame, got byte " + first);
        }
        return readInterleavedBody();
    }

    private Interleaved readInterleavedBody() throws IOException {
        int channel = read();
        int length = (read() << 8) | read();
        byte[] data = in.readNBytes(length);
        if (data.length < length) {
            throw new EOFException("interleaved frame cut short");
        }
        return new Interleaved(channel, data);
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed by the server");
        }
        return b;
    }

    private static boolean endsWithBlankLine(ByteArrayOutputStream head) {
        byte[] b = head.toByteArray();
        int n = b.length;
        return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
    }

    /**
     * Whether the server closed the connection within the socket timeout (reading and discarding what
     * comes before the end). False when the timeout passes with the connection still open.
     */
    public boolean closedByServer() throws IOException {
        byte[] sink = new byte[8192];
        try {
            while (in.read(sink) >= 0) {
                // discard whatever the server still sends
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    public InputStream input() {
        return in;
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
