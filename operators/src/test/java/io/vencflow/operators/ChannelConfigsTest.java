package io.vencflow.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import java.util.Optional;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class ChannelConfigsTest {
    private static final EncoderConfig SMALL = EncoderConfig.builder().size(176, 144).build();
    private static final EncoderConfig BIG = EncoderConfig.builder().size(1280, 720).build();

    @Test
    void aListedChannelGetsItsOwnConfigAndEveryOtherTheDefault() throws Exception {
        ChannelConfigs c = ChannelConfigs.builder().defaultConfig(SMALL).channel("door", BIG).build();
        assertEquals(Optional.of(BIG), c.configFor("door"));
        assertEquals(Optional.of(SMALL), c.configFor("yard"));
        ChannelConfigs copy = InstantiationUtil.clone(c);
        assertEquals(c, copy);
    }

    @Test
    void configsThatFitFramesTakeEachChannelsFrameSizeAndFormatAndKeepTheRest() throws Exception {
        EncoderConfig base = EncoderConfig.builder().size(1280, 720).gop(60).bitrateBps(800_000).build();
        ChannelConfigs c = ChannelConfigs.builder().defaultConfig(base).fitFrames().channel("door", SMALL).build();
        Frame nv12 = new SyntheticScene("yard", 320, 240, PixelFormat.NV12).render(0, 0);
        EncoderConfig yard = c.configFor("yard", nv12).orElseThrow();
        assertEquals(320, yard.width());
        assertEquals(240, yard.height());
        assertEquals(PixelFormat.NV12, yard.inputFormat());
        assertEquals(60, yard.gop());
        assertEquals(800_000, yard.bitrateBps());
        // A listed channel keeps its own settings, at its frames' size and format.
        EncoderConfig door = c.configFor("door", nv12).orElseThrow();
        assertEquals(SMALL.toBuilder().size(320, 240).inputFormat(PixelFormat.NV12).build(), door);
        // Without the option the default is the default.
        assertEquals(Optional.of(base), ChannelConfigs.of(base).configFor("yard", nv12));
        assertEquals(c, InstantiationUtil.clone(c));
    }

    @Test
    void withoutADefaultAnUnlistedChannelHasNoConfig() {
        ChannelConfigs c = ChannelConfigs.builder().channel("door", BIG).build();
        assertEquals(Optional.empty(), c.configFor("yard"));
    }

    @Test
    void badSettingsAreRefusedNamingTheChannel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChannelConfigs.builder().channel("door", BIG).channel("door", SMALL).build());
        assertTrue(e.getMessage().contains("channel door is listed twice"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChannelConfigs.builder().channel("a/b", BIG).build());
        assertTrue(e.getMessage().contains("'a/b'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChannelConfigs.builder().channel("door", null).build());
        assertTrue(e.getMessage().contains("channel door has a null config"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChannelConfigs.builder().build());
        assertTrue(e.getMessage().contains("no encoder config"), e.getMessage());
    }
}
