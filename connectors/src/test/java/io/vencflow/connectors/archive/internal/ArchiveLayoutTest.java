package io.vencflow.connectors.archive.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.archive.ArchiveSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArchiveLayoutTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "../other", "a/b", "/etc", "cam\u0000", "", "x/../../y"})
    void noChannelIdCanNameAPathOutsideTheArchive(String channel) {
        ArchiveLayout layout = new ArchiveLayout(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layout.channelDir(channel));
        assertTrue(e.getMessage().contains("channel id"), e.getMessage());
    }

    @Test
    void aChannelFolderThatIsASymbolicLinkOutOfTheArchiveIsRefused(@TempDir Path elsewhere) throws Exception {
        Path archive = Files.createDirectories(dir.resolve("archive"));
        Files.createSymbolicLink(archive.resolve("cam1"), elsewhere);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ArchiveLayout(archive).channelDir("cam1"));
        assertTrue(e.getMessage().contains("outside the archive"), e.getMessage());
    }

    @Test
    void segmentNamesSortInTimeOrder() {
        String a = ArchiveLayout.baseName(999_999, 7);
        String b = ArchiveLayout.baseName(1_000_000, 8);
        assertEquals("00000000000000999999-00000000000000000007", a);
        assertTrue(a.compareTo(b) < 0);
        assertEquals(8, ArchiveLayout.startSequenceOf(b + ".h264.part"));
        assertEquals(-1, ArchiveLayout.startSequenceOf("notes.txt"));
        assertEquals(dir.resolve("cam-1.front_2"), new ArchiveLayout(dir).channelDir("cam-1.front_2"));
    }

    @Test
    void theBuilderNamesTheWrongSetting() {
        assertEquals("archive directory is not set",
                assertThrows(IllegalArgumentException.class, () -> ArchiveSink.builder().build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArchiveSink.builder().directory(dir)
                .maxSegmentDuration(Duration.ZERO).build()).getMessage().contains("segments would never roll"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArchiveSink.builder().directory(dir)
                .maxSegmentBytes(-1).build()).getMessage().startsWith("max segment size -1 bytes is negative"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArchiveSink.builder().directory(dir)
                .retainFor(Duration.ofSeconds(-1)).build()).getMessage().startsWith("retention age"));
    }
}
