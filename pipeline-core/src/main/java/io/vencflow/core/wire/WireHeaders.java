package io.vencflow.core.wire;

/**
 * The header names of vencflow's Kafka wire format. Every header value is UTF-8 decimal text
 * ({@code "42"}, {@code "-5"}): no sign for non-negative numbers, no spaces, no leading {@code +}.
 * The frame topic carries {@link #SEQ}, {@link #PTS_US}, {@link #WIDTH}, {@link #HEIGHT} and
 * {@link #FORMAT}; the NAL topic carries {@link #SEQ}, {@link #PTS_US}, {@link #CODEC}, {@link #WIDTH},
 * {@link #HEIGHT}, {@link #KEYFRAME}, {@link #GOP} and {@link #GOP_POS}. The README's table is the
 * contract for other languages.
 */
public final class WireHeaders {
    /** The frame's sequence in its channel, 0 or more. */
    public static final String SEQ = "vf-seq";
    /** Capture time, microseconds since the Unix epoch. */
    public static final String PTS_US = "vf-pts-us";
    /** Width in pixels, 1..16384. */
    public static final String WIDTH = "vf-width";
    /** Height in pixels, 1..16384. */
    public static final String HEIGHT = "vf-height";
    /** Frame topic: the pixel format, {@code PixelFormat.id()} ({@code i420}, {@code nv12}, ...). */
    public static final String FORMAT = "vf-format";
    /** NAL topic: {@code h264} or {@code h265}. */
    public static final String CODEC = "vf-codec";
    /** NAL topic: {@code 1} when the access unit is an IDR with its parameter sets, else {@code 0}. */
    public static final String KEYFRAME = "vf-keyframe";
    /** NAL topic: the GOP index, counting the channel's IDRs from 0. */
    public static final String GOP = "vf-gop";
    /** NAL topic: the position in the GOP, 0 for the IDR itself. */
    public static final String GOP_POS = "vf-gop-pos";

    private WireHeaders() {
    }
}
