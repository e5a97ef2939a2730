package io.vencflow.core.seed.k230;

/**
 * Channel attributes of the K230 VENC API: {@code ChnAttrStr(payload_type, profile, pic_width,
 * pic_height, gop_len)}. Field names as the seed documents them.
 */
public final class ChnAttrStr {
    /** The default GOP length when none is given: 30 frames. */
    public static final int DEFAULT_GOP_LEN = 30;

    public final int payload_type;
    public final int profile;
    public final int pic_width;
    public final int pic_height;
    public final int gop_len;

    public ChnAttrStr(int payloadType, int profile, int picWidth, int picHeight) {
        this(payloadType, profile, picWidth, picHeight, DEFAULT_GOP_LEN);
    }

    public ChnAttrStr(int payloadType, int profile, int picWidth, int picHeight, int gopLen) {
        this.payload_type = payloadType;
        this.profile = profile;
        this.pic_width = picWidth;
        this.pic_height = picHeight;
        this.gop_len = gopLen;
    }

    @Override
    public String toString() {
        return "ChnAttrStr[payload_type=" + payload_type + " profile=" + profile + " " + pic_width + "x" + pic_height
                + " gop_len=" + gop_len + "]";
    }
}
