package io.vencflow.operators.testing;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.operators.RejectedFrame;
import java.util.Random;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/** Test records and the field-by-field equality the serializer tests compare them with. */
public final class Records {
    private Records() {
    }

    /** A frame of random pixels (deterministic for a seed). */
    public static Frame randomFrame(String channel, long sequence, int width, int height, PixelFormat format, long seed) {
        byte[] pixels = new byte[format.frameSize(width, height)];
        new Random(seed).nextBytes(pixels);
        return new Frame(channel, sequence, 1_700_000_000_000_000L + sequence * 33_333L, width, height, format, pixels);
    }

    public static boolean sameFrame(Frame a, Frame b) {
        return a.channel().equals(b.channel()) && a.sequence() == b.sequence() && a.ptsMicros() == b.ptsMicros()
                && a.width() == b.width() && a.height() == b.height() && a.format() == b.format()
                && a.pixels().equals(b.pixels());
    }

    /** Flink's deep-equality checker taught to compare vencflow records by value. */
    public static DeeplyEqualsChecker checker() {
        return new DeeplyEqualsChecker()
                .withCustomCheck((a, b) -> a instanceof Frame && b instanceof Frame,
                        (a, b, c) -> sameFrame((Frame) a, (Frame) b))
                .withCustomCheck((a, b) -> a instanceof RejectedFrame && b instanceof RejectedFrame,
                        (a, b, c) -> ((RejectedFrame) a).reason().equals(((RejectedFrame) b).reason())
                                && sameFrame(((RejectedFrame) a).frame(), ((RejectedFrame) b).frame()))
                .withCustomCheck((a, b) -> a instanceof EncodedFrame && b instanceof EncodedFrame,
                        (a, b, c) -> a.equals(b));
    }
}
