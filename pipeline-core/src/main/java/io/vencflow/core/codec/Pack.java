package io.vencflow.core.codec;

import io.vencflow.core.bitstream.NalUnit;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One NAL unit of an access unit, without its start code, emulation prevention bytes in place, as
 * it goes on the wire. Immutable: the payload is copied in and only read-only views leave.
 */
public final class Pack {
    private final PackType type;
    private final int nalType;
    private final byte[] payload;

    private Pack(PackType type, int nalType, byte[] payload) {
        this.type = type;
        this.nalType = nalType;
        this.payload = payload;
    }

    /** A pack from one NAL unit of {@code codec}; its type is read from the NAL header. The bytes are copied. */
    public static Pack of(Codec codec, byte[] nal, int offset, int length) {
        Objects.requireNonNull(codec, "codec");
        int minHeader = codec == Codec.H264 ? 1 : 2;
        if (length < minHeader) {
            throw new IllegalArgumentException("NAL unit of " + length + " bytes is too short; a " + codec
                    + " NAL unit has a " + minHeader + "-byte header");
        }
        byte[] copy = Arrays.copyOfRange(nal, offset, offset + length);
        int nalType = NalUnit.type(codec, copy[0]);
        return new Pack(NalUnit.packType(codec, nalType), nalType, copy);
    }

    /** A pack from a whole NAL unit array (copied). */
    public static Pack of(Codec codec, byte[] nal) {
        return of(codec, nal, 0, nal.length);
    }

    public PackType type() {
        return type;
    }

    /** The NAL unit type from the header (H.264: 5 bits, H.265: 6 bits). */
    public int nalType() {
        return nalType;
    }

    /** The payload size in bytes (NAL header included, start code not). */
    public int size() {
        return payload.length;
    }

    /** A read-only view of the NAL unit bytes. */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /** One byte of the NAL unit. */
    public byte byteAt(int index) {
        return payload[index];
    }

    /** A copy of the NAL unit bytes. */
    public byte[] toByteArray() {
        return payload.clone();
    }

    /** Copies the NAL unit into {@code dst} at {@code offset}; returns the offset after it. */
    public int copyTo(byte[] dst, int offset) {
        System.arraycopy(payload, 0, dst, offset, payload.length);
        return offset + payload.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pack p && p.type == type && p.nalType == nalType && Arrays.equals(p.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * nalType + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Pack[" + type + " nal=" + nalType + " " + payload.length + "B]";
    }
}
