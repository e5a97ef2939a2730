package io.vencflow.core.io;

import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * YUV4MPEG2 clips: a text header ({@code YUV4MPEG2 W640 H480 F30:1 C420jpeg ...}) and frames each
 * behind a {@code FRAME} line. 4:2:0 8-bit only.
 */
final class Y4mFrameReader implements FrameReader {
    private static final String MAGIC = "YUV4MPEG2";

    private final Path path;
    private final String channel;
    private final long startMicros;
    private InputStream in;
    private int width;
    private int height;
    private int fps;
    private int frameSize;
    private long sequence;
    private long frameIndex;

    Y4mFrameReader(Path path, String channel, int fpsOverride, long startMicros) throws IOException {
        this.path = path;
        this.channel = channel;
        this.startMicros = startMicros;
        openAndReadHeader(fpsOverride);
    }

    static boolean isY4m(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "no such file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(MAGIC.length());
            return new String(head, StandardCharsets.US_ASCII).equals(MAGIC);
        }
    }

    private void openAndReadHeader(int fpsOverride) throws IOException {
        in = new BufferedInputStream(Files.newInputStream(path), 1 << 20);
        String header = readLine("header");
        String[] tokens = header.split(" ");
        if (!tokens[0].equals(MAGIC)) {
            throw new IllegalArgumentException(path + " does not start with " + MAGIC);
        }
        int w = -1;
        int h = -1;
        double rate = 0;
        for (int i = 1; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.isEmpty()) {
                continue;
            }
            String v = t.substring(1);
            switch (t.charAt(0)) {
                case 'W' -> w = parseInt(v, "width");
                case 'H' -> h = parseInt(v, "height");
                case 'F' -> {
                    String[] nd = v.split(":");
                    double num = parseInt(nd[0], "frame rate");
                    double den = nd.length > 1 ? parseInt(nd[1], "frame rate") : 1;
                    rate = den == 0 ? 0 : num / den;
                }
                case 'I' -> {
                    if (!v.equals("p") && !v.equals("?")) {
                        throw new IllegalArgumentException(path + ": interlaced Y4M (I" + v + ") is not supported; expected Ip");
                    }
                }
                case 'C' -> {
                    if (!v.startsWith("420")) {
                        throw new IllegalArgumentException(path + ": Y4M colour space C" + v
                                + " is not supported; expected 8-bit 4:2:0 (C420, C420jpeg, C420mpeg2, C420paldv)");
                    }
                }
                default -> {
                    // aspect ratio, comments: not needed
                }
            }
        }
        if (w < 0 || h < 0) {
            throw new IllegalArgumentException(path + ": Y4M header has no " + (w < 0 ? "W" : "H") + " field: " + header);
        }
        Frame.checkDimensions(w, h, PixelFormat.I420);
        this.width = w;
        this.height = h;
        this.fps = fpsOverride > 0 ? fpsOverride : Math.max(1, (int) Math.round(rate == 0 ? 30 : rate));
        this.frameSize = PixelFormat.I420.frameSize(w, h);
    }

    private static int parseInt(String v, String what) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Y4M " + what + " '" + v + "' is not a number");
        }
    }

    /** Reads a line up to '\n'; null at a clean end of file. */
    private String readLine(String what) throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (b.length() == 0) {
                    return null;
                }
                throw new EOFException(path + ": Y4M " + what + " line is truncated: '" + b + "'");
            }
            if (c == '\n') {
                return b.toString();
            }
            if (b.length() > 4096) {
                throw new IllegalArgumentException(path + ": Y4M " + what + " line is longer than 4096 bytes");
            }
            b.append((char) c);
        }
    }

    @Override
    public Frame next() throws IOException {
        String marker = readLine("FRAME");
        if (marker == null) {
            return null;
        }
        if (!marker.startsWith("FRAME")) {
            throw new IllegalArgumentException(path + ": expected a FRAME line before frame " + frameIndex + ", found '"
                    + (marker.length() > 40 ? marker.substring(0, 40) + "..." : marker) + "'");
        }
        byte[] pixels = in.readNBytes(frameSize);
        if (pixels.length < frameSize) {
            throw new EOFException(path + ": frame " + frameIndex + " is truncated at " + pixels.length + " of "
                    + frameSize + " bytes");
        }
        frameIndex++;
        long seq = sequence++;
        return new Frame(channel, seq, startMicros + seq * 1_000_000L / fps, width, height, PixelFormat.I420, pixels);
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public PixelFormat format() {
        return PixelFormat.I420;
    }

    @Override
    public int fps() {
        return fps;
    }

    @Override
    public long frameCount() {
        return -1;
    }

    @Override
    public void rewind() throws IOException {
        in.close();
        frameIndex = 0;
        openAndReadHeader(fps);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
