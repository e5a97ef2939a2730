package io.vencflow.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class EncoderConfigTest {

    @Test
    void esp32DefaultsHoldGopZeroIsOneSecondAndBitrateZeroIsOneBitAPixel() {
        EncoderConfig c = EncoderConfig.builder().size(640, 480).fps(25).build();
        assertEquals(0, c.gop());
        assertEquals(25, c.effectiveGop());
        assertEquals(0, c.bitrateBps());
        assertEquals(640L * 480 * 25, c.effectiveBitrateBps());
        assertEquals(Profile.BASELINE, c.profile());
        assertEquals(Profile.MAIN, EncoderConfig.builder().codec(Codec.H265).build().profile());
    }

    @Test
    void explicitGopAndBitrateAreKept() {
        EncoderConfig c = EncoderConfig.builder().gop(60).bitrateBps(2_000_000).build();
        assertEquals(60, c.effectiveGop());
        assertEquals(2_000_000, c.effectiveBitrateBps());
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void eachBadSettingIsNamedWithItsValueAndTheAcceptedRange() {
        expect("width 1281 is odd; H.264 4:2:0 needs even dimensions", () -> EncoderConfig.builder().size(1281, 720).build());
        expect("height 8 is out of range; expected 16..8192", () -> EncoderConfig.builder().size(64, 8).build());
        expect("fps 0 is out of range; expected 1..240", () -> EncoderConfig.builder().fps(0).build());
        expect("gop -1 is out of range; expected 0 (one second) or 1..10000 frames",
                () -> EncoderConfig.builder().gop(-1).build());
        expect("bitrate 100 bit/s is out of range; expected 0 (width*height*fps) or 16000..2000000000",
                () -> EncoderConfig.builder().bitrateBps(100).build());
        expect("qp-max 52 is out of range; expected 0..51", () -> EncoderConfig.builder().qpRange(10, 52).build());
        expect("qp-min 40 is above qp-max 30; expected qp-min <= qp-max",
                () -> EncoderConfig.builder().qpRange(40, 30).build());
        expect("qp 45 is outside qp-min..qp-max 10..40",
                () -> EncoderConfig.builder().rateControl(RateControlMode.CQP).qp(45).qpRange(10, 40).build());
        expect("profile baseline does not exist for H.265; H.265 has main only",
                () -> EncoderConfig.builder().codec(Codec.H265).profile(Profile.BASELINE).build());
        expect("threads 65 is out of range; expected 0 (all cores) or 1..64", () -> EncoderConfig.builder().threads(65).build());
        expect("filler data pads a CBR stream to its rate; rate control vbr has no rate to pad to (expected cbr)",
                () -> EncoderConfig.builder().rateControl(RateControlMode.VBR).fillerData(true).build());
        expect("aq strength -0.5 is out of range; expected 0 (off)..3.0", () -> EncoderConfig.builder().aqStrength(-0.5).build());
        expect("aq strength 3.5 is out of range; expected 0 (off)..3.0", () -> EncoderConfig.builder().aqStrength(3.5).build());
        expect("aq strength NaN is out of range; expected 0 (off)..3.0",
                () -> EncoderConfig.builder().aqStrength(Double.NaN).build());
        EncoderConfig aq = EncoderConfig.builder().aqStrength(0.5).build();
        assertEquals(0.5, aq.aqStrength());
        assertEquals(aq, aq.toBuilder().build(), "the strength survives toBuilder");
        assertTrue(aq.toString().endsWith(" aq=0.5"), aq.toString());
    }

    @Test
    void namesParseAndUnknownNamesAreReported() {
        assertEquals(Codec.H265, Codec.parse("hevc"));
        assertEquals(RateControlMode.VBR, RateControlMode.parse("VBR"));
        expect("unknown preset 'ludicrous'; expected ultrafast, superfast, veryfast, faster, fast or medium",
                () -> Preset.parse("ludicrous"));
        expect("unknown codec 'vp9'; expected h264 or h265", () -> Codec.parse("vp9"));
    }

    private static void expect(String message, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertEquals(message, e.getMessage());
    }
}
