package io.vencflow.core.codec;

import io.vencflow.core.frame.PixelFormat;
import java.io.Serializable;
import java.util.Objects;

/**
 * Everything an encoder needs to know, validated by {@link Builder#build()}: each error names the
 * setting, its value and the accepted range. Immutable and serializable (it travels in Flink job
 * graphs and state).
 *
 * <p>Defaults follow the ESP32-P4 encoder: {@code gop 0} means one keyframe a second (= fps) and
 * {@code bitrate 0} means width x height x fps bits a second.
 */
public final class EncoderConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int MIN_DIMENSION = 16;
    public static final int MAX_DIMENSION = 8192;
    public static final int MAX_FPS = 240;
    public static final int MAX_GOP = 10_000;
    public static final long MIN_BITRATE_BPS = 16_000;
    public static final long MAX_BITRATE_BPS = 2_000_000_000L;
    public static final int MAX_QP = 51;
    public static final int MAX_THREADS = 64;
    /** The largest {@link #aqStrength()}: 3, as x264 and x265 take it. */
    public static final double MAX_AQ_STRENGTH = 3.0;

    private final Codec codec;
    private final Profile profile;
    private final int width;
    private final int height;
    private final int fps;
    private final int gop;
    private final RateControlMode rateControl;
    private final long bitrateBps;
    private final int qp;
    private final int qpMin;
    private final int qpMax;
    private final Backend backend;
    private final Preset preset;
    private final int threads;
    private final PixelFormat inputFormat;
    private final boolean fillerData;
    private final double aqStrength;

    /** Refuses a bitrate for {@link VideoEncoder#setBitrate} outside {@link #MIN_BITRATE_BPS}..{@link #MAX_BITRATE_BPS}. */
    public static long checkBitrate(long bitrateBps) {
        if (bitrateBps < MIN_BITRATE_BPS || bitrateBps > MAX_BITRATE_BPS) {
            throw new IllegalArgumentException("bitrate " + bitrateBps + " bit/s is out of range; expected "
                    + MIN_BITRATE_BPS + ".." + MAX_BITRATE_BPS);
        }
        return bitrateBps;
    }

    private EncoderConfig(Builder b) {
        this.codec = b.codec;
        this.profile = b.profile != null ? b.profile : (b.codec == Codec.H265 ? Profile.MAIN : Profile.BASELINE);
        this.width = b.width;
        this.height = b.height;
        this.fps = b.fps;
        this.gop = b.gop;
        this.rateControl = b.rateControl;
        this.bitrateBps = b.bitrateBps;
        this.qp = b.qp;
        this.qpMin = b.qpMin;
        this.qpMax = b.qpMax;
        this.backend = b.backend;
        this.preset = b.preset;
        this.threads = b.threads;
        this.inputFormat = b.inputFormat;
        this.fillerData = b.fillerData;
        this.aqStrength = b.aqStrength;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's settings, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder().codec(codec).profile(profile).size(width, height).fps(fps).gop(gop)
                .rateControl(rateControl).bitrateBps(bitrateBps).qp(qp).qpRange(qpMin, qpMax).backend(backend)
                .preset(preset).threads(threads).inputFormat(inputFormat).fillerData(fillerData)
                .aqStrength(aqStrength);
    }

    public Codec codec() {
        return codec;
    }

    public Profile profile() {
        return profile;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int fps() {
        return fps;
    }

    /** The configured GOP length; 0 means one second's worth, see {@link #effectiveGop()}. */
    public int gop() {
        return gop;
    }

    /** Frames from one IDR to the next: {@code gop}, or {@code fps} when gop is 0. */
    public int effectiveGop() {
        return gop == 0 ? fps : gop;
    }

    public RateControlMode rateControl() {
        return rateControl;
    }

    /** The configured bitrate in bit/s; 0 means width x height x fps, see {@link #effectiveBitrateBps()}. */
    public long bitrateBps() {
        return bitrateBps;
    }

    /** The target (CBR) or cap (VBR) in bit/s. */
    public long effectiveBitrateBps() {
        if (bitrateBps != 0) {
            return bitrateBps;
        }
        return Math.min(MAX_BITRATE_BPS, (long) width * height * fps);
    }

    /** The QP of every picture under {@link RateControlMode#CQP}. */
    public int qp() {
        return qp;
    }

    public int qpMin() {
        return qpMin;
    }

    public int qpMax() {
        return qpMax;
    }

    public Backend backend() {
        return backend;
    }

    public Preset preset() {
        return preset;
    }

    /**
     * Encoder threads (default 1: in a Flink job parallelism comes from channels); 0 lets the backend
     * use every core.
     */
    public int threads() {
        return threads;
    }

    /** The pixel format of the frames this encoder accepts. */
    public PixelFormat inputFormat() {
        return inputFormat;
    }

    /**
     * Strict CBR (H.264 CBR only; default off): the stream declares a constant-rate buffer (HRD
     * cbr_flag 1) and pads itself with filler data up to the rate where the pictures cost less (the
     * java backend; x264's {@code nal-hrd=cbr} on the ffmpeg backend). Off, a CBR stream spends what
     * its pictures cost, up to the rate.
     */
    public boolean fillerData() {
        return fillerData;
    }

    /**
     * Adaptive quantization (default 0, off; at most {@link #MAX_AQ_STRENGTH}): each macroblock's QP
     * moves from the picture's by this strength times how far the log2 of its samples' energy lies
     * from a middle one, finer where the picture is flat, coarser where it is busy, which is where
     * the eye sees the difference (the java backend; the ffmpeg backend passes it to x264 and x265
     * as variance AQ, whose own default applies at 0, and which x264 turns off at a constant QP;
     * jcodec has none and refuses it).
     */
    public double aqStrength() {
        return aqStrength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncoderConfig c && c.codec == codec && c.profile == profile && c.width == width
                && c.height == height && c.fps == fps && c.gop == gop && c.rateControl == rateControl
                && c.bitrateBps == bitrateBps && c.qp == qp && c.qpMin == qpMin && c.qpMax == qpMax
                && c.backend == backend && c.preset == preset && c.threads == threads && c.inputFormat == inputFormat
                && c.fillerData == fillerData && c.aqStrength == aqStrength;
    }

    @Override
    public int hashCode() {
        return Objects.hash(codec, profile, width, height, fps, gop, rateControl, bitrateBps, qp, qpMin, qpMax, backend,
                preset, threads, inputFormat, fillerData, aqStrength);
    }

    @Override
    public String toString() {
        return codec.id() + " " + profile.id() + " " + width + "x" + height + "@" + fps + " gop=" + effectiveGop() + " "
                + rateControl.id() + (rateControl == RateControlMode.CQP ? " qp=" + qp
                        : " " + effectiveBitrateBps() / 1000 + "kbit/s")
                + " qp=" + qpMin + ".." + qpMax + " backend=" + backend.id() + " preset=" + preset.id()
                + " threads=" + threads + " input=" + inputFormat.id() + (fillerData ? " filler" : "")
                + (aqStrength > 0 ? " aq=" + aqStrength : "");
    }

    /** Collects settings; {@link #build()} checks them all. */
    public static final class Builder {
        private Codec codec = Codec.H264;
        private Profile profile;
        private int width = 1280;
        private int height = 720;
        private int fps = 30;
        private int gop;
        private RateControlMode rateControl = RateControlMode.CBR;
        private long bitrateBps;
        private int qp = 26;
        private int qpMin = 10;
        private int qpMax = 51;
        private Backend backend = Backend.AUTO;
        private Preset preset = Preset.VERYFAST;
        private int threads = 1;
        private boolean fillerData;
        private double aqStrength;
        private PixelFormat inputFormat = PixelFormat.I420;

        private Builder() {
        }

        public Builder codec(Codec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /** The profile; unset means Constrained Baseline for H.264 and Main for H.265. */
        public Builder profile(Profile profile) {
            this.profile = profile;
            return this;
        }

        public Builder size(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        public Builder fps(int fps) {
            this.fps = fps;
            return this;
        }

        /** Frames from one IDR to the next; 0 means one second (= fps). */
        public Builder gop(int gop) {
            this.gop = gop;
            return this;
        }

        public Builder rateControl(RateControlMode rateControl) {
            this.rateControl = Objects.requireNonNull(rateControl, "rateControl");
            return this;
        }

        /** Target (CBR) or cap (VBR) in bit/s; 0 means width x height x fps. */
        public Builder bitrateBps(long bitrateBps) {
            this.bitrateBps = bitrateBps;
            return this;
        }

        /** The QP under constant-QP rate control. */
        public Builder qp(int qp) {
            this.qp = qp;
            return this;
        }

        public Builder qpRange(int qpMin, int qpMax) {
            this.qpMin = qpMin;
            this.qpMax = qpMax;
            return this;
        }

        public Builder backend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        public Builder preset(Preset preset) {
            this.preset = Objects.requireNonNull(preset, "preset");
            return this;
        }

        /** Strict CBR: pads the stream to the rate with filler data (see {@link EncoderConfig#fillerData()}). */
        public Builder fillerData(boolean fillerData) {
            this.fillerData = fillerData;
            return this;
        }

        /** Adaptive quantization's strength, 0 (off) to 3 (see {@link EncoderConfig#aqStrength()}). */
        public Builder aqStrength(double aqStrength) {
            this.aqStrength = aqStrength;
            return this;
        }

        /** Encoder threads; 0 = every core. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder inputFormat(PixelFormat inputFormat) {
            this.inputFormat = Objects.requireNonNull(inputFormat, "inputFormat");
            return this;
        }

        public EncoderConfig build() {
            String name = codec == Codec.H264 ? "H.264" : "H.265";
            checkDimension("width", width, name);
            checkDimension("height", height, name);
            if (profile != null && !profile.isValidFor(codec)) {
                throw new IllegalArgumentException("profile " + profile.id() + " does not exist for " + name
                        + "; " + name + " has main only");
            }
            if (fps < 1 || fps > MAX_FPS) {
                throw new IllegalArgumentException("fps " + fps + " is out of range; expected 1.." + MAX_FPS);
            }
            if (gop < 0 || gop > MAX_GOP) {
                throw new IllegalArgumentException("gop " + gop + " is out of range; expected 0 (one second) or 1.."
                        + MAX_GOP + " frames");
            }
            if (bitrateBps != 0 && (bitrateBps < MIN_BITRATE_BPS || bitrateBps > MAX_BITRATE_BPS)) {
                throw new IllegalArgumentException("bitrate " + bitrateBps + " bit/s is out of range; expected 0 (width*height*fps) or "
                        + MIN_BITRATE_BPS + ".." + MAX_BITRATE_BPS);
            }
            checkQp("qp-min", qpMin);
            checkQp("qp-max", qpMax);
            if (qpMin > qpMax) {
                throw new IllegalArgumentException("qp-min " + qpMin + " is above qp-max " + qpMax
                        + "; expected qp-min <= qp-max");
            }
            checkQp("qp", qp);
            if (rateControl == RateControlMode.CQP && (qp < qpMin || qp > qpMax)) {
                throw new IllegalArgumentException("qp " + qp + " is outside qp-min..qp-max " + qpMin + ".." + qpMax);
            }
            if (fillerData && rateControl != RateControlMode.CBR) {
                throw new IllegalArgumentException("filler data pads a CBR stream to its rate; rate control "
                        + rateControl.id() + " has no rate to pad to (expected cbr)");
            }
            if (fillerData && codec != Codec.H264) {
                throw new IllegalArgumentException("filler data pads H.264 streams (the java backend, x264's nal-hrd=cbr);"
                        + " " + codec.id() + " has none here (expected h264)");
            }
            if (!(aqStrength >= 0 && aqStrength <= MAX_AQ_STRENGTH)) {
                throw new IllegalArgumentException("aq strength " + aqStrength + " is out of range; expected 0 (off).."
                        + MAX_AQ_STRENGTH);
            }
            if (threads < 0 || threads > MAX_THREADS) {
                throw new IllegalArgumentException("threads " + threads + " is out of range; expected 0 (all cores) or 1.."
                        + MAX_THREADS);
            }
            return new EncoderConfig(this);
        }

        private static void checkDimension(String what, int value, String codecName) {
            if (value < MIN_DIMENSION || value > MAX_DIMENSION) {
                throw new IllegalArgumentException(what + " " + value + " is out of range; expected " + MIN_DIMENSION
                        + ".." + MAX_DIMENSION);
            }
            if (value % 2 != 0) {
                throw new IllegalArgumentException(what + " " + value + " is odd; " + codecName
                        + " 4:2:0 needs even dimensions");
            }
        }

        private static void checkQp(String what, int value) {
            if (value < 0 || value > MAX_QP) {
                throw new IllegalArgumentException(what + " " + value + " is out of range; expected 0.." + MAX_QP);
            }
        }
    }
}
