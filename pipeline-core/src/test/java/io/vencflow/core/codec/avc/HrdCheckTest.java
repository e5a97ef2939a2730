package io.vencflow.core.codec.avc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.codec.RateControlMode;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link HrdCheck} against an encoder of its own: libx264's strict CBR (nal-hrd=cbr). */
class HrdCheckTest {

    /**
     * x264 keeps its constant-rate HRD with its own SEI and filler data (counting its own start codes:
     * 4 bytes for an access unit's first NAL unit and parameter sets, 3 for the rest): the check finds
     * no violation in its stream, and the buffer full to within a few bits at its fullest. Without one
     * access unit's filler the buffer overflows before the next removal, and the check says so there.
     */
    @Test
    void x264sStrictCbrStreamPassesAndFailsOnceAFillerUnitIsDropped() {
        int fps = 25;
        SyntheticScene scene = new SyntheticScene("hrd", 320, 240, PixelFormat.I420, 0);
        EncoderConfig config = EncoderConfig.builder().size(320, 240).fps(fps).gop(50).backend(Backend.FFMPEG)
                .rateControl(RateControlMode.CBR).bitrateBps(800_000).fillerData(true).build();
        List<EncodedFrame> units = new ArrayList<>();
        try (VideoEncoder encoder = VideoEncoder.open(config)) {
            for (int i = 0; i < 100; i++) {
                // Still for the first second (x264 pads it), then moving.
                units.add(encoder.encode(scene.render(Math.max(0, i - 25), i * 40_000L)));
            }
        }
        HrdCheck.Result x264 = HrdCheck.run(units, HrdCheck.StartCodes.X264);
        System.out.printf("x264 nal-hrd=cbr, 800 kbit/s: %d buffering periods, %d filler bytes, buffer at most %d of %d"
                + " bits, at least %d ahead of a removal, violations %s%n", x264.bufferingPeriods(), x264.fillerBytes(),
                x264.highestBits(), x264.cpbBits(), x264.lowestBits(), x264.violations());
        assertTrue(x264.cbr());
        assertEquals(2, x264.bufferingPeriods());
        assertTrue(x264.fillerBytes() > 0, "x264 padded nothing");
        assertEquals(List.of(), x264.violations());

        int padded = -1;
        for (int i = 1; i < units.size() - 1 && padded < 0; i++) {
            if (units.get(i).packs().stream().anyMatch(p -> p.nalType() == ParameterSets.NAL_FILLER)) {
                padded = i;
            }
        }
        EncodedFrame au = units.get(padded);
        List<Pack> unpadded = au.packs().stream().filter(p -> p.nalType() != ParameterSets.NAL_FILLER).toList();
        List<EncodedFrame> tampered = new ArrayList<>(units);
        tampered.set(padded, new EncodedFrame(au.channel(), au.sequence(), au.ptsMicros(), au.codec(), au.width(),
                au.height(), au.keyframe(), au.gopIndex(), au.gopPosition(), unpadded));
        List<String> violations = HrdCheck.run(tampered, HrdCheck.StartCodes.X264).violations();
        assertFalse(violations.isEmpty(), "dropping access unit " + padded + "'s filler went unnoticed");
        String overflow = "access unit " + (padded + 1) + ": the buffer overflows";
        assertTrue(violations.stream().anyMatch(v -> v.startsWith(overflow)), overflow + " not in " + violations);
    }
}
