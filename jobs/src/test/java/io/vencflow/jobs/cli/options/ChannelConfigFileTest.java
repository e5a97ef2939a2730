package io.vencflow.jobs.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.frame.PixelFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelConfigFileTest {
    private static final EncoderConfig BASE = EncoderConfig.builder().size(640, 360).bitrateBps(1_000_000).build();

    @Test
    void yamlDefaultsApplyToEveryChannelAndChannelEntriesOnTop(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "defaults:\n  bitrate: 2M\n  gop: 60\nchannels:\n  door:\n    codec: hevc\n    size: 1280x720\n"
                + "    pix-fmt: nv12\n  yard: {profile: high, qp-max: 40, filler: true, aq: 0.7}\n");
        ChannelConfigFile file = ChannelConfigFile.read(f);
        EncoderConfig d = file.defaults(BASE);
        assertEquals(2_000_000, d.bitrateBps());
        assertEquals(60, d.gop());
        Map<String, EncoderConfig> ch = file.channels(BASE);
        EncoderConfig door = ch.get("door");
        assertEquals(Codec.H265, door.codec());
        assertEquals(Profile.MAIN, door.profile(), "a codec change takes that codec's default profile");
        assertEquals(1280, door.width());
        assertEquals(PixelFormat.NV12, door.inputFormat());
        assertEquals(2_000_000, door.bitrateBps());
        assertEquals(Profile.HIGH, ch.get("yard").profile());
        assertEquals(40, ch.get("yard").qpMax());
        assertTrue(ch.get("yard").fillerData());
        assertFalse(door.fillerData());
        assertEquals(0.7, ch.get("yard").aqStrength());
        assertEquals(0.0, door.aqStrength());
    }

    @Test
    void propertiesSayTheSame(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.properties");
        Files.writeString(f, "bitrate=2M\nchannel.door.codec=h265\nchannel.door.gop=10\n");
        ChannelConfigFile file = ChannelConfigFile.read(f);
        assertEquals(2_000_000, file.defaults(BASE).bitrateBps());
        assertEquals(Codec.H265, file.channels(BASE).get("door").codec());
        assertEquals(10, file.channels(BASE).get("door").gop());
    }

    @Test
    void mistakesAreNamedWithTheFileTheEntryAndWhatWasExpected(@TempDir Path dir) throws Exception {
        assertMessage(dir, "c.yaml", "channels:\n  door:\n    colour: red\n",
                "channel door: unknown setting 'colour'; expected one of codec, profile");
        assertMessage(dir, "c.yaml", "channels:\n  door:\n    gop: many\n", "channel door: gop 'many' is not a whole number");
        assertMessage(dir, "c.yaml", "channels:\n  door:\n    size: 1281x720\n", "channel door: width 1281 is odd");
        assertMessage(dir, "c.yaml", "channels:\n  door:\n    filler: yes please\n",
                "channel door: filler 'yes please' is not true or false");
        assertMessage(dir, "c.yaml", "channels:\n  door:\n    rc: vbr\n    filler: true\n",
                "channel door: filler data pads a CBR stream to its rate; rate control vbr has no rate to pad to");
        assertMessage(dir, "c.yaml", "channels:\n  door:\n    aq: strong\n",
                "channel door: aq 'strong' is not a number; expected 0 (off) to 3");
        assertMessage(dir, "c.yaml", "channels:\n  door:\n    aq: 4\n",
                "channel door: aq strength 4.0 is out of range; expected 0 (off)..3.0");
        assertMessage(dir, "c.yaml", "channels:\n  ../etc:\n    gop: 5\n", "channel id '../etc' is not 1-64 of");
        assertMessage(dir, "c.yaml", "cameras:\n  door: {}\n", "unknown top-level key 'cameras'");
        assertMessage(dir, "c.yaml", "channels: [door\n", "is not valid YAML");
        assertMessage(dir, "c.properties", "channel.door=5\n", "'channel.door' should be channel.<id>.<setting>");
        assertMessage(dir, "c.json", "{}", "expected a .yaml, .yml or .properties file");
    }

    private static void assertMessage(Path dir, String name, String content, String expected) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChannelConfigFile.read(f).channels(BASE));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
