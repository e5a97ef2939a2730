package io.vencflow.operators.serialization;

import io.vencflow.core.codec.Codec;
import io.vencflow.core.frame.PixelFormat;
import java.io.IOException;

/**
 * The one-byte codes the serializers write for enums. Fixed numbers, never ordinals, so that
 * reordering or adding an enum constant cannot change what a savepoint means.
 */
final class RecordCodes {
    private RecordCodes() {
    }

    static byte pixelFormat(PixelFormat format) {
        return switch (format) {
            case I420 -> 1;
            case NV12 -> 2;
            case NV21 -> 3;
            case RGB565 -> 4;
            case RGB888 -> 5;
            case BGR888 -> 6;
            case GRAY8 -> 7;
        };
    }

    static PixelFormat pixelFormat(byte code) throws IOException {
        return switch (code) {
            case 1 -> PixelFormat.I420;
            case 2 -> PixelFormat.NV12;
            case 3 -> PixelFormat.NV21;
            case 4 -> PixelFormat.RGB565;
            case 5 -> PixelFormat.RGB888;
            case 6 -> PixelFormat.BGR888;
            case 7 -> PixelFormat.GRAY8;
            default -> throw new IOException("pixel format code " + code + " is unknown; expected 1..7");
        };
    }

    static byte codec(Codec codec) {
        return switch (codec) {
            case H264 -> 1;
            case H265 -> 2;
        };
    }

    static Codec codec(byte code) throws IOException {
        return switch (code) {
            case 1 -> Codec.H264;
            case 2 -> Codec.H265;
            default -> throw new IOException("codec code " + code + " is unknown; expected 1 (H.264) or 2 (H.265)");
        };
    }
}
