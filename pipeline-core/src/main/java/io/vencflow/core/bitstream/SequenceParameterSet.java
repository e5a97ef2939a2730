package io.vencflow.core.bitstream;

import io.vencflow.core.codec.Codec;

/**
 * The fields of an H.264 or H.265 sequence parameter set that tools and tests need: profile, level,
 * the displayed (cropped) size and, for H.264, the VUI timing and reorder depth.
 *
 * @param profileIdc profile_idc (H.264) or general_profile_idc (H.265)
 * @param constraintFlags H.264: the byte holding constraint_set0..5_flag; H.265: general_tier_flag
 * @param levelIdc level_idc (H.264: 10 x level, e.g. 31) or general_level_idc (H.265: 30 x level, e.g. 93)
 * @param width displayed width: coded width less the cropping window
 * @param height displayed height
 * @param codedWidth width in whole macroblocks / coding blocks as coded
 * @param codedHeight height as coded
 * @param chromaFormatIdc 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4
 * @param bitDepthLuma luma sample bit depth
 * @param timeScale VUI time_scale, 0 when no timing info is present (H.265: always 0, not parsed)
 * @param numUnitsInTick VUI num_units_in_tick, 0 when absent
 * @param maxNumReorderFrames VUI max_num_reorder_frames, -1 when absent (H.265: not parsed)
 * @param vuiPresent whether VUI parameters are present (H.264)
 */
public record SequenceParameterSet(Codec codec, int profileIdc, int constraintFlags, int levelIdc, int width,
        int height, int codedWidth, int codedHeight, int chromaFormatIdc, int bitDepthLuma, long timeScale,
        long numUnitsInTick, int maxNumReorderFrames, boolean vuiPresent) {

    /** Parses an SPS NAL unit (header included, emulation prevention bytes in place). */
    public static SequenceParameterSet parse(Codec codec, byte[] nal) {
        return parse(codec, nal, 0, nal.length);
    }

    /** Parses an SPS NAL unit lying in {@code buf[offset, offset+length)}. */
    public static SequenceParameterSet parse(Codec codec, byte[] buf, int offset, int length) {
        int type = NalUnit.type(codec, buf[offset]);
        int expected = codec == Codec.H264 ? NalUnit.H264_SPS : NalUnit.H265_SPS;
        if (type != expected) {
            throw new IllegalArgumentException("NAL unit of type " + type + " is not a " + codec + " SPS (type "
                    + expected + ")");
        }
        int header = codec == Codec.H264 ? 1 : 2;
        byte[] rbsp = AnnexB.unescape(buf, offset + header, offset + length);
        try {
            return codec == Codec.H264 ? parseH264(new BitReader(rbsp)) : parseH265(new BitReader(rbsp));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed " + codec + " SPS of " + length + " bytes: " + e.getMessage(), e);
        }
    }

    /** The profile-level-id of RFC 6184 (H.264): profile_idc, constraint flags, level_idc as 6 hex digits. */
    public String profileLevelId() {
        return String.format("%02x%02x%02x", profileIdc, constraintFlags, levelIdc);
    }

    /** The level as people write it: {@code 3.1}, {@code 4}, {@code 1b}. */
    public String levelName() {
        int tenths = codec == Codec.H264 ? levelIdc : levelIdc / 3;
        if (codec == Codec.H264 && levelIdc == 9) {
            return "1b";
        }
        return tenths % 10 == 0 ? Integer.toString(tenths / 10) : (tenths / 10) + "." + (tenths % 10);
    }

    /** The frame rate the VUI timing gives (time_scale / (2 * num_units_in_tick) for H.264), 0 when absent. */
    public double vuiFrameRate() {
        if (timeScale == 0 || numUnitsInTick == 0) {
            return 0;
        }
        return codec == Codec.H264 ? timeScale / (2.0 * numUnitsInTick) : timeScale / (double) numUnitsInTick;
    }

    private static SequenceParameterSet parseH264(BitReader r) {
        int profileIdc = r.ui(8);
        int constraintFlags = r.ui(8);
        int levelIdc = r.ui(8);
        r.ue(); // seq_parameter_set_id
        int chromaFormatIdc = 1;
        int bitDepthLuma = 8;
        if (profileIdc == 100 || profileIdc == 110 || profileIdc == 122 || profileIdc == 244 || profileIdc == 44
                || profileIdc == 83 || profileIdc == 86 || profileIdc == 118 || profileIdc == 128
                || profileIdc == 138 || profileIdc == 139 || profileIdc == 134 || profileIdc == 135) {
            chromaFormatIdc = r.ue();
            if (chromaFormatIdc == 3) {
                r.u1(); // separate_colour_plane_flag
            }
            bitDepthLuma = 8 + r.ue();
            r.ue(); // bit_depth_chroma_minus8
            r.u1(); // qpprime_y_zero_transform_bypass_flag
            if (r.flag()) { // seq_scaling_matrix_present_flag
                int lists = chromaFormatIdc != 3 ? 8 : 12;
                for (int i = 0; i < lists; i++) {
                    if (r.flag()) {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.ue(); // log2_max_frame_num_minus4
        int pocType = r.ue();
        if (pocType == 0) {
            r.ue(); // log2_max_pic_order_cnt_lsb_minus4
        } else if (pocType == 1) {
            r.u1();
            r.se();
            r.se();
            int cycle = r.ue();
            for (int i = 0; i < cycle; i++) {
                r.se();
            }
        }
        r.ue(); // max_num_ref_frames
        r.u1(); // gaps_in_frame_num_value_allowed_flag
        int widthMbs = r.ue() + 1;
        int heightMapUnits = r.ue() + 1;
        boolean frameMbsOnly = r.flag();
        if (!frameMbsOnly) {
            r.u1(); // mb_adaptive_frame_field_flag
        }
        r.u1(); // direct_8x8_inference_flag
        int codedWidth = widthMbs * 16;
        int codedHeight = (frameMbsOnly ? 1 : 2) * heightMapUnits * 16;
        int width = codedWidth;
        int height = codedHeight;
        if (r.flag()) { // frame_cropping_flag
            int left = r.ue();
            int right = r.ue();
            int top = r.ue();
            int bottom = r.ue();
            int cropUnitX = chromaFormatIdc == 1 || chromaFormatIdc == 2 ? 2 : 1;
            int cropUnitY = (chromaFormatIdc == 1 ? 2 : 1) * (frameMbsOnly ? 1 : 2);
            width -= cropUnitX * (left + right);
            height -= cropUnitY * (top + bottom);
        }
        long timeScale = 0;
        long unitsInTick = 0;
        int reorder = -1;
        boolean vui = r.flag();
        if (vui) {
            if (r.flag()) { // aspect_ratio_info_present_flag
                if (r.ui(8) == 255) {
                    r.skip(32);
                }
            }
            if (r.flag()) {
                r.u1(); // overscan_appropriate_flag
            }
            if (r.flag()) { // video_signal_type_present_flag
                r.skip(4);
                if (r.flag()) {
                    r.skip(24);
                }
            }
            if (r.flag()) { // chroma_loc_info_present_flag
                r.ue();
                r.ue();
            }
            if (r.flag()) { // timing_info_present_flag
                unitsInTick = r.u(32);
                timeScale = r.u(32);
                r.u1(); // fixed_frame_rate_flag
            }
            boolean nalHrd = r.flag();
            if (nalHrd) {
                skipHrd(r);
            }
            boolean vclHrd = r.flag();
            if (vclHrd) {
                skipHrd(r);
            }
            if (nalHrd || vclHrd) {
                r.u1(); // low_delay_hrd_flag
            }
            r.u1(); // pic_struct_present_flag
            if (r.flag()) { // bitstream_restriction_flag
                r.u1();
                r.ue();
                r.ue();
                r.ue();
                r.ue();
                reorder = r.ue();
                r.ue(); // max_dec_frame_buffering
            }
        }
        return new SequenceParameterSet(Codec.H264, profileIdc, constraintFlags, levelIdc, width, height, codedWidth,
                codedHeight, chromaFormatIdc, bitDepthLuma, timeScale, unitsInTick, reorder, vui);
    }

    private static void skipScalingList(BitReader r, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size && next != 0; j++) {
            next = (last + r.se() + 256) % 256;
            last = next == 0 ? last : next;
        }
    }

    private static void skipHrd(BitReader r) {
        int cpbCnt = r.ue() + 1;
        r.skip(8); // bit_rate_scale, cpb_size_scale
        for (int i = 0; i < cpbCnt; i++) {
            r.ue();
            r.ue();
            r.u1();
        }
        r.skip(20); // four 5-bit length fields
    }

    private static SequenceParameterSet parseH265(BitReader r) {
        r.skip(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = r.ui(3);
        r.u1(); // sps_temporal_id_nesting_flag
        // profile_tier_level(1, maxSubLayersMinus1)
        r.skip(2); // general_profile_space
        int tier = r.u1();
        int profileIdc = r.ui(5);
        r.skip(32); // general_profile_compatibility_flag[32]
        r.skip(48); // progressive/interlaced/non-packed/frame-only and 44 reserved bits
        int levelIdc = r.ui(8);
        boolean[] subProfile = new boolean[maxSubLayersMinus1];
        boolean[] subLevel = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            subProfile[i] = r.flag();
            subLevel[i] = r.flag();
        }
        if (maxSubLayersMinus1 > 0) {
            r.skip(2 * (8 - maxSubLayersMinus1));
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            if (subProfile[i]) {
                r.skip(88);
            }
            if (subLevel[i]) {
                r.skip(8);
            }
        }
        r.ue(); // sps_seq_parameter_set_id
        int chromaFormatIdc = r.ue();
        if (chromaFormatIdc == 3) {
            r.u1(); // separate_colour_plane_flag
        }
        int codedWidth = r.ue();
        int codedHeight = r.ue();
        int width = codedWidth;
        int height = codedHeight;
        if (r.flag()) { // conformance_window_flag
            int left = r.ue();
            int right = r.ue();
            int top = r.ue();
            int bottom = r.ue();
            int subWidth = chromaFormatIdc == 1 || chromaFormatIdc == 2 ? 2 : 1;
            int subHeight = chromaFormatIdc == 1 ? 2 : 1;
            width -= subWidth * (left + right);
            height -= subHeight * (top + bottom);
        }
        int bitDepthLuma = 8 + r.ue();
        return new SequenceParameterSet(Codec.H265, profileIdc, tier, levelIdc, width, height, codedWidth, codedHeight,
                chromaFormatIdc, bitDepthLuma, 0, 0, -1, false);
    }
}
