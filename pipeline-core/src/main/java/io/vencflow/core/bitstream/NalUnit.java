package io.vencflow.core.bitstream;

import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.PackType;

/**
 * NAL unit header fields of H.264 (ITU-T H.264 7.3.1: one byte, type in the low 5 bits) and H.265
 * (ITU-T H.265 7.3.1.2: two bytes, type in bits 1..6 of the first).
 */
public final class NalUnit {
    // H.264 nal_unit_type values (Table 7-1).
    public static final int H264_SLICE = 1;
    public static final int H264_IDR = 5;
    public static final int H264_SEI = 6;
    public static final int H264_SPS = 7;
    public static final int H264_PPS = 8;
    public static final int H264_AUD = 9;
    public static final int H264_END_OF_SEQUENCE = 10;
    public static final int H264_END_OF_STREAM = 11;
    public static final int H264_FILLER = 12;

    // H.265 nal_unit_type values (Table 7-1).
    public static final int H265_BLA_W_LP = 16;
    public static final int H265_IDR_W_RADL = 19;
    public static final int H265_IDR_N_LP = 20;
    public static final int H265_CRA = 21;
    public static final int H265_RSV_IRAP_23 = 23;
    public static final int H265_VPS = 32;
    public static final int H265_SPS = 33;
    public static final int H265_PPS = 34;
    public static final int H265_AUD = 35;
    public static final int H265_EOS = 36;
    public static final int H265_EOB = 37;
    public static final int H265_FILLER = 38;
    public static final int H265_PREFIX_SEI = 39;
    public static final int H265_SUFFIX_SEI = 40;

    private NalUnit() {
    }

    /** The nal_unit_type from the first header byte. */
    public static int type(Codec codec, byte firstHeaderByte) {
        return codec == Codec.H264 ? firstHeaderByte & 0x1f : (firstHeaderByte >> 1) & 0x3f;
    }

    /** Whether the type is a slice (video coding layer) NAL unit. */
    public static boolean isVcl(Codec codec, int type) {
        return codec == Codec.H264 ? type >= 1 && type <= 5 : type <= 31;
    }

    /** Whether the type is a slice of an IDR picture: the only keyframes vencflow emits. */
    public static boolean isIdr(Codec codec, int type) {
        return codec == Codec.H264 ? type == H264_IDR : type == H265_IDR_W_RADL || type == H265_IDR_N_LP;
    }

    /** Whether the type is an intra random access point (H.264: IDR; H.265: BLA, IDR, CRA). */
    public static boolean isRandomAccess(Codec codec, int type) {
        return codec == Codec.H264 ? type == H264_IDR : type >= H265_BLA_W_LP && type <= H265_RSV_IRAP_23;
    }

    /** Whether the type is a parameter set (H.264 SPS/PPS, H.265 VPS/SPS/PPS). */
    public static boolean isParameterSet(Codec codec, int type) {
        return codec == Codec.H264 ? type == H264_SPS || type == H264_PPS
                : type == H265_VPS || type == H265_SPS || type == H265_PPS;
    }

    /** The VENC pack type of a NAL unit type: HEADER for non-VCL units, I for random access slices, else P. */
    public static PackType packType(Codec codec, int type) {
        if (!isVcl(codec, type)) {
            return PackType.HEADER;
        }
        return isRandomAccess(codec, type) ? PackType.I : PackType.P;
    }

    /**
     * Whether a non-VCL unit of this type, met after a picture's slices, opens the next access unit
     * (H.264 7.4.1.2.3, H.265 7.4.2.4.4). End of sequence/stream, filler data and suffix SEI close
     * the current one instead.
     */
    public static boolean startsAccessUnit(Codec codec, int type) {
        if (codec == Codec.H264) {
            return type == H264_SEI || type == H264_SPS || type == H264_PPS || type == H264_AUD
                    || (type >= 14 && type <= 18);
        }
        return type == H265_VPS || type == H265_SPS || type == H265_PPS || type == H265_AUD
                || type == H265_PREFIX_SEI || (type >= 41 && type <= 44) || (type >= 48 && type <= 55);
    }

    /** A short name for logs and reports: SPS, PPS, IDR, ... */
    public static String name(Codec codec, int type) {
        if (codec == Codec.H264) {
            return switch (type) {
                case H264_SLICE -> "SLICE";
                case H264_IDR -> "IDR";
                case H264_SEI -> "SEI";
                case H264_SPS -> "SPS";
                case H264_PPS -> "PPS";
                case H264_AUD -> "AUD";
                case H264_END_OF_SEQUENCE -> "EOSEQ";
                case H264_END_OF_STREAM -> "EOSTREAM";
                case H264_FILLER -> "FILLER";
                default -> "NAL" + type;
            };
        }
        return switch (type) {
            case H265_IDR_W_RADL -> "IDR_W_RADL";
            case H265_IDR_N_LP -> "IDR_N_LP";
            case H265_CRA -> "CRA";
            case H265_VPS -> "VPS";
            case H265_SPS -> "SPS";
            case H265_PPS -> "PPS";
            case H265_AUD -> "AUD";
            case H265_EOS -> "EOS";
            case H265_EOB -> "EOB";
            case H265_PREFIX_SEI -> "PREFIX_SEI";
            case H265_SUFFIX_SEI -> "SUFFIX_SEI";
            default -> type <= 31 ? "VCL" + type : "NAL" + type;
        };
    }
}
