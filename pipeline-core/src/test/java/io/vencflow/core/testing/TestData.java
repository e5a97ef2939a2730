package io.vencflow.core.testing;

import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.io.FrameReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared test data in {@code ../shared/testdata} beside the repository (see its MANIFEST.md).
 * Tests read it in place. When it is missing, {@link #root()} fails the test with the path it looked
 * for: a test that needs it never passes silently without it.
 */
public final class TestData {
    /** A headerless I420 clip of the manifest. */
    public record RawClip(String file, int width, int height, int frames) {
        public Path path() {
            return root().resolve("raw").resolve(file);
        }

        /** The clip's frames as channel {@code channel}, timestamps at 30 fps from 0. */
        public List<Frame> read(String channel) {
            try (FrameReader r = FrameReader.open(path(), channel, new int[] {width, height}, PixelFormat.I420, 30, 0)) {
                List<Frame> frames = new ArrayList<>();
                for (Frame f = r.next(); f != null; f = r.next()) {
                    frames.add(f);
                }
                return frames;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return file;
        }
    }

    public static final List<RawClip> RAW_CLIPS = List.of(
            new RawClip("cars_320x240_30f.yuv", 320, 240, 30),
            new RawClip("CiscoVT2people_320x192_9f.yuv", 320, 192, 9),
            new RawClip("bus_cif_352x288_17f.yuv", 352, 288, 17),
            new RawClip("foreman_qcif_176x144_10f.yuv", 176, 144, 10));

    private TestData() {
    }

    /** The test data folder; fails when it cannot be found. */
    public static Path root() {
        String configured = System.getProperty("vencflow.testdata");
        if (configured != null && Files.isDirectory(Paths.get(configured))) {
            return Paths.get(configured).toAbsolutePath().normalize();
        }
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("testdata");
            if (Files.isDirectory(candidate.resolve("raw"))) {
                return candidate;
            }
        }
        throw new AssertionError("test data not found: expected ../shared/testdata beside the repository"
                + (configured != null ? " or at -Dvencflow.testdata=" + configured : "")
                + "; these tests need the real clips and bitstreams of shared/testdata/MANIFEST.md");
    }

    public static Path bitstream(String relative) {
        return root().resolve("bitstreams").resolve(relative);
    }

    public static byte[] readAll(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
