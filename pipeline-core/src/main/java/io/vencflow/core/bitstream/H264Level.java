package io.vencflow.core.bitstream;

/**
 * H.264 levels (ITU-T H.264 Table A-1) and the choice of the lowest level a stream fits.
 */
public enum H264Level {
    L1(10, 1485, 99, 396, 64, 64),
    L1_1(11, 3000, 396, 900, 192, 128),
    L1_2(12, 6000, 396, 2376, 384, 128),
    L1_3(13, 11880, 396, 2376, 768, 128),
    L2(20, 11880, 396, 2376, 2000, 128),
    L2_1(21, 19800, 792, 4752, 4000, 256),
    L2_2(22, 20250, 1620, 8100, 4000, 256),
    L3(30, 40500, 1620, 8100, 10000, 256),
    L3_1(31, 108000, 3600, 18000, 14000, 512),
    L3_2(32, 216000, 5120, 20480, 20000, 512),
    L4(40, 245760, 8192, 32768, 20000, 512),
    L4_1(41, 245760, 8192, 32768, 50000, 512),
    L4_2(42, 522240, 8704, 34816, 50000, 512),
    L5(50, 589824, 22080, 110400, 135000, 512),
    L5_1(51, 983040, 36864, 184320, 240000, 512),
    L5_2(52, 2073600, 36864, 184320, 240000, 512),
    L6(60, 4177920, 139264, 696320, 240000, 512),
    L6_1(61, 8355840, 139264, 696320, 480000, 512),
    L6_2(62, 16711680, 139264, 696320, 800000, 512);

    private final int levelIdc;
    private final long maxMbPerSecond;
    private final int maxFrameSizeMbs;
    private final int maxDpbMbs;
    private final long maxBitrateKbps;
    private final int maxVerticalMv;

    H264Level(int levelIdc, long maxMbPerSecond, int maxFrameSizeMbs, int maxDpbMbs, long maxBitrateKbps,
            int maxVerticalMv) {
        this.levelIdc = levelIdc;
        this.maxMbPerSecond = maxMbPerSecond;
        this.maxFrameSizeMbs = maxFrameSizeMbs;
        this.maxDpbMbs = maxDpbMbs;
        this.maxBitrateKbps = maxBitrateKbps;
        this.maxVerticalMv = maxVerticalMv;
    }

    /** level_idc as written in the SPS (10 x the level number). */
    public int levelIdc() {
        return levelIdc;
    }

    /**
     * MaxVmvR: vertical motion vectors lie within [-maxVerticalMv, maxVerticalMv - 0.25] luma samples
     * (64 at level 1, 128 to level 2, 256 to level 3, 512 above). Horizontal ones lie within
     * [-2048, 2047.75] at every level ({@link #MAX_HORIZONTAL_MV}).
     */
    public int maxVerticalMv() {
        return maxVerticalMv;
    }

    /** The horizontal motion vector range of every level: [-2048, 2047.75] luma samples (A.3.1). */
    public static final int MAX_HORIZONTAL_MV = 2048;

    /**
     * The lowest level whose limits hold a stream of this size, rate, bitrate and reference count.
     *
     * @param bitrateBps the stream's maximum bitrate, or 0 when it has none (constant QP)
     * @param highProfile whether the High profile's 1.25x bitrate allowance applies
     * @throws IllegalArgumentException when no level holds it, naming the figure that is too large
     */
    public static H264Level select(int width, int height, double fps, long bitrateBps, boolean highProfile,
            int numRefFrames) {
        int widthMbs = (width + 15) / 16;
        int heightMbs = (height + 15) / 16;
        long frameMbs = (long) widthMbs * heightMbs;
        double mbPerSecond = frameMbs * fps;
        long brFactor = highProfile ? 1250 : 1000;
        for (H264Level level : values()) {
            double sideLimit = Math.sqrt(8.0 * level.maxFrameSizeMbs);
            if (frameMbs <= level.maxFrameSizeMbs && widthMbs <= sideLimit && heightMbs <= sideLimit
                    && mbPerSecond <= level.maxMbPerSecond
                    && (long) Math.max(1, numRefFrames) * frameMbs <= level.maxDpbMbs
                    && bitrateBps <= level.maxBitrateKbps * brFactor) {
                return level;
            }
        }
        throw new IllegalArgumentException("no H.264 level holds " + width + "x" + height + " at " + fps + " fps and "
                + bitrateBps + " bit/s; level 6.2 allows 139264 macroblocks a frame, 16711680 a second and "
                + (800000 * brFactor) + " bit/s");
    }
}
