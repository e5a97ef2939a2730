package io.vencflow.core.bitstream;

import io.vencflow.core.codec.Codec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Groups a sequence of NAL units into access units (one picture each), by the rules of H.264
 * 7.4.1.2.3 and H.265 7.4.2.4.4: a picture's first slice (first_mb_in_slice = 0, or
 * first_slice_segment_in_pic_flag = 1) after another picture's slices opens a new access unit, and
 * so do parameter sets, SEI and delimiters that follow a picture's slices.
 *
 * <p>Not thread-safe. Feed units with {@link #push}; the completed access unit comes back when the
 * next one starts; {@link #finish} returns the last.
 */
public final class AccessUnitAssembler {
    private final Codec codec;
    private List<byte[]> current = new ArrayList<>();
    private boolean currentHasVcl;

    public AccessUnitAssembler(Codec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * Adds one NAL unit (header first, no start code). Returns the access unit this unit closed, or
     * {@code null} when none was completed.
     */
    public List<byte[]> push(byte[] nal) {
        if (nal.length < (codec == Codec.H264 ? 1 : 2)) {
            throw new IllegalArgumentException("NAL unit of " + nal.length + " bytes is shorter than a " + codec + " header");
        }
        int type = NalUnit.type(codec, nal[0]);
        boolean vcl = NalUnit.isVcl(codec, type);
        List<byte[]> completed = null;
        if (currentHasVcl && ((vcl && isFirstSliceOfPicture(nal)) || (!vcl && NalUnit.startsAccessUnit(codec, type)))) {
            completed = current;
            current = new ArrayList<>();
            currentHasVcl = false;
        }
        current.add(nal);
        currentHasVcl |= vcl;
        return completed;
    }

    /** Returns the access unit in progress (empty when there is none) and starts afresh. */
    public List<byte[]> finish() {
        List<byte[]> last = current;
        current = new ArrayList<>();
        currentHasVcl = false;
        return last;
    }

    private boolean isFirstSliceOfPicture(byte[] nal) {
        if (codec == Codec.H264) {
            // first_mb_in_slice is ue(v) right after the 1-byte header; ue(0) is the single bit '1'.
            return nal.length > 1 && (nal[1] & 0x80) != 0;
        }
        // first_slice_segment_in_pic_flag is the first bit after the 2-byte header.
        return nal.length > 2 && (nal[2] & 0x80) != 0;
    }

    /** Splits a whole Annex-B stream into access units, each a list of NAL units. */
    public static List<List<byte[]>> split(Codec codec, byte[] annexB) {
        AccessUnitAssembler assembler = new AccessUnitAssembler(codec);
        List<List<byte[]>> units = new ArrayList<>();
        for (AnnexB.Range r : AnnexB.scan(annexB)) {
            List<byte[]> done = assembler.push(r.copy(annexB));
            if (done != null) {
                units.add(done);
            }
        }
        List<byte[]> last = assembler.finish();
        if (!last.isEmpty()) {
            units.add(last);
        }
        return units;
    }
}
