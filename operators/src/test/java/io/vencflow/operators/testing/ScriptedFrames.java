package io.vencflow.operators.testing;

import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import io.vencflow.operators.VideoTypes;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Frames rendered inside a Flink source in the order a script gives: index i of the source becomes
 * frame {@code sequence[i]} of camera {@code camera[i]}, rendered from the camera's deterministic
 * {@link SyntheticScene}, so a test can render the same frame again to compare. Capture times are
 * 30 fps from a fixed epoch. The source's position is checkpointed (it is a {@link
 * DataGeneratorSource}), so a restored job continues where it stopped.
 */
public final class ScriptedFrames implements GeneratorFunction<Long, Frame> {
    private static final long serialVersionUID = 1L;
    public static final long BASE_PTS_MICROS = 1_700_000_000_000_000L;
    public static final long FRAME_MICROS = 33_333;

    /** A camera: channel id and size; frames are I420. */
    public record Camera(String id, int width, int height) implements Serializable {
    }

    /** One entry of a script: frame {@code sequence} of camera {@code camera} (an index). */
    public record Shot(int camera, long sequence) {
    }

    private final Camera[] cameras;
    private final int[] cameraOf;
    private final long[] sequenceOf;
    private transient Map<Integer, SyntheticScene> scenes;

    private ScriptedFrames(List<Camera> cameras, List<Shot> script) {
        this.cameras = cameras.toArray(new Camera[0]);
        this.cameraOf = new int[script.size()];
        this.sequenceOf = new long[script.size()];
        for (int i = 0; i < script.size(); i++) {
            cameraOf[i] = script.get(i).camera();
            sequenceOf[i] = script.get(i).sequence();
        }
    }

    /** Frames 0..n-1 of every camera, interleaved camera by camera. */
    public static ScriptedFrames roundRobin(List<Camera> cameras, int framesPerCamera) {
        List<Shot> script = new ArrayList<>();
        for (int s = 0; s < framesPerCamera; s++) {
            for (int c = 0; c < cameras.size(); c++) {
                script.add(new Shot(c, s));
            }
        }
        return new ScriptedFrames(cameras, script);
    }

    public static ScriptedFrames of(List<Camera> cameras, List<Shot> script) {
        return new ScriptedFrames(cameras, script);
    }

    public int length() {
        return cameraOf.length;
    }

    /** The whole script as an unpaced bounded source. */
    public DataGeneratorSource<Frame> source() {
        return new DataGeneratorSource<>(this, length(), VideoTypes.FRAME);
    }

    /** The whole script as a bounded source of at most {@code framesPerSecond} frames a second. */
    public DataGeneratorSource<Frame> pacedSource(double framesPerSecond) {
        return new DataGeneratorSource<>(this, length(), RateLimiterStrategy.perSecond(framesPerSecond), VideoTypes.FRAME);
    }

    @Override
    public Frame map(Long index) {
        if (scenes == null) {
            scenes = new HashMap<>();
        }
        int i = Math.toIntExact(index);
        int c = cameraOf[i];
        SyntheticScene scene = scenes.computeIfAbsent(c,
                k -> new SyntheticScene(cameras[k].id(), cameras[k].width(), cameras[k].height(), PixelFormat.I420));
        return scene.render(sequenceOf[i], ptsMicros(sequenceOf[i]));
    }

    public static long ptsMicros(long sequence) {
        return BASE_PTS_MICROS + sequence * FRAME_MICROS;
    }

    /** Renders frames {@code sequences} of a camera again, as the source did. */
    public static List<Frame> render(Camera camera, List<Long> sequences) {
        SyntheticScene scene = new SyntheticScene(camera.id(), camera.width(), camera.height(), PixelFormat.I420);
        List<Frame> out = new ArrayList<>();
        for (long s : sequences) {
            out.add(scene.render(s, ptsMicros(s)));
        }
        return out;
    }
}
