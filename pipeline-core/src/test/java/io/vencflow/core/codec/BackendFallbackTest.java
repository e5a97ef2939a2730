package io.vencflow.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackendFallbackTest {

    @Test
    void whenFfmpegNativesDoNotLoadAutoFallsBackToThePureJavaBackendsSayingWhyAndFfmpegFailsClearly() throws Exception {
        Result r = runProbe("-Dvencflow.ffmpeg.disable=true");
        assertEquals(0, r.exitCode, r.output);
        assertTrue(r.output.contains("auto-h264=java keyframe=true"), r.output);
        assertTrue(r.output.contains("auto-decoder=jcodec"), r.output);
        assertTrue(r.output.contains("ffmpeg-error=FFmpeg natives did not load: disabled by -Dvencflow.ffmpeg.disable=true"),
                r.output);
        assertTrue(r.output.contains("auto-h265-error=the java backend encodes H.264 only; H265 needs the ffmpeg backend"),
                r.output);
        // One log line says why auto fell back, once.
        int warnings = r.output.split("backend auto: FFmpeg natives did not load", -1).length - 1;
        assertEquals(1, warnings, r.output);
    }

    @Test
    void whereNativesLoadAutoIsTheNativeBackend() throws Exception {
        Result r = runProbe();
        assertEquals(0, r.exitCode, r.output);
        assertTrue(r.output.contains("auto-h264=ffmpeg keyframe=true"), r.output);
        assertTrue(r.output.contains("auto-h265=opened"), r.output);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result runProbe(String... jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmArgs));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(FallbackProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("probe JVM did not finish in 60 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
