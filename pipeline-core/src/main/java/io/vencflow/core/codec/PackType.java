package io.vencflow.core.codec;

/** The type of a pack (one NAL unit), as the K230 VENC seed types its stream packs. */
public enum PackType {
    /** Parameter sets, SEI, access unit delimiters: VPS/SPS/PPS/SEI/AUD. */
    HEADER,
    /** A slice of an intra random access picture (IDR, CRA). */
    I,
    /** A slice of a predicted picture. */
    P
}
