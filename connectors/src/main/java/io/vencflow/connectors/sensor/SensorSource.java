package io.vencflow.connectors.sensor;

import io.vencflow.connectors.internal.ChannelSplitEnumerator;
import io.vencflow.connectors.internal.PacedChannelReader;
import io.vencflow.connectors.internal.PendingSplits;
import io.vencflow.connectors.internal.PendingSplitsSerializer;
import io.vencflow.connectors.sensor.internal.SceneStream;
import io.vencflow.connectors.sensor.internal.SensorSplit;
import io.vencflow.connectors.sensor.internal.SensorSplitSerializer;
import io.vencflow.core.frame.ChannelId;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import io.vencflow.operators.VideoTypes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Synthetic cameras: each channel renders its own deterministic moving scene ({@link SyntheticScene}:
 * a panning texture, a bouncing box, sensor noise, the channel name and frame number drawn in) at its
 * size, pixel format and fps.
 *
 * <p>Paced (the default), each camera gives a frame every {@code 1/fps} s stamped with the wall clock
 * (capture time, microseconds since the epoch); unpaced, frames come as fast as the job takes them,
 * stamped {@code clockStart + sequence / fps} so event time stays meaningful. Bounded by a number of
 * frames or seconds per camera (the job then finishes), or endless.
 *
 * <p>Each camera is a split: with parallelism p, camera {@code i} runs in subtask {@code i % p}. Its
 * position is checkpointed, so a restored job continues every camera's sequence where the checkpoint
 * left it (no restart at 0, no gap, no repeat). Frames are typed {@link VideoTypes#FRAME}; use it with
 * {@code env.fromSource(source, VideoEncoding.watermarks(...), "cameras")}: the timestamps are the
 * capture times, and watermarks are generated per camera.
 */
public final class SensorSource implements Source<Frame, SensorSplit, PendingSplits<SensorSplit>>,
        ResultTypeQueryable<Frame> {
    private static final long serialVersionUID = 1L;

    private final List<SensorSplit> cameras;
    private final boolean paced;
    private final boolean bounded;

    private SensorSource(List<SensorSplit> cameras, boolean paced, boolean bounded) {
        this.cameras = List.copyOf(cameras);
        this.paced = paced;
        this.bounded = bounded;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The channel ids, in split order. */
    public List<String> channels() {
        return cameras.stream().map(SensorSplit::channel).toList();
    }

    @Override
    public Boundedness getBoundedness() {
        return bounded ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<SensorSplit, PendingSplits<SensorSplit>> createEnumerator(
            SplitEnumeratorContext<SensorSplit> context) {
        return new ChannelSplitEnumerator<>(context, cameras);
    }

    @Override
    public SplitEnumerator<SensorSplit, PendingSplits<SensorSplit>> restoreEnumerator(
            SplitEnumeratorContext<SensorSplit> context, PendingSplits<SensorSplit> checkpoint) {
        return new ChannelSplitEnumerator<>(context, checkpoint.splits());
    }

    @Override
    public SimpleVersionedSerializer<SensorSplit> getSplitSerializer() {
        return SensorSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<PendingSplits<SensorSplit>> getEnumeratorCheckpointSerializer() {
        return new PendingSplitsSerializer<>(SensorSplitSerializer.INSTANCE);
    }

    @Override
    public SourceReader<Frame, SensorSplit> createReader(SourceReaderContext context) {
        return new PacedChannelReader<>(SceneStream::new, paced);
    }

    @Override
    public TypeInformation<Frame> getProducedType() {
        return VideoTypes.FRAME;
    }

    @Override
    public String toString() {
        return "SensorSource[" + cameras.size() + " cameras " + channels() + (paced ? ", paced" : ", unpaced")
                + (bounded ? ", " + cameras.get(0).endSequence() + " frames each" : ", endless") + "]";
    }

    /** Collects cameras and settings; {@link #build()} checks them all. */
    public static final class Builder {
        private record Camera(String channel, Integer width, Integer height, PixelFormat format, Integer fps) {
        }

        private final List<Camera> cameras = new ArrayList<>();
        private int width = 640;
        private int height = 480;
        private PixelFormat format = PixelFormat.I420;
        private int fps = 30;
        private int noise = 2;
        private boolean paced = true;
        private long frames = -1;
        private double seconds = -1;
        private Long clockStartMicros;

        private Builder() {
        }

        /** Adds {@code count} cameras named {@code cam0}, {@code cam1}, ... with the default settings. */
        public Builder cameras(int count) {
            if (count < 1 || count > 10_000) {
                throw new IllegalArgumentException(count + " cameras is out of range; expected 1..10000");
            }
            for (int i = 0; i < count; i++) {
                cameras.add(new Camera("cam" + i, null, null, null, null));
            }
            return this;
        }

        /** Adds a camera with the default settings. */
        public Builder camera(String channel) {
            cameras.add(new Camera(channel, null, null, null, null));
            return this;
        }

        /** Adds a camera with its own size, pixel format and fps. */
        public Builder camera(String channel, int width, int height, PixelFormat format, int fps) {
            cameras.add(new Camera(channel, width, height, format, fps));
            return this;
        }

        /** Default size of the cameras (even, like a sensor's 4:2:0 output); 640x480 unless set. */
        public Builder size(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        /** Default pixel format (e.g. NV12 as the K230 gives, RGB565 as the ESP32); I420 unless set. */
        public Builder format(PixelFormat format) {
            this.format = format;
            return this;
        }

        /** Default frame rate, 1..240; 30 unless set. */
        public Builder fps(int fps) {
            this.fps = fps;
            return this;
        }

        /** Amplitude of the sensor noise on luma, 0..64; 2 unless set. */
        public Builder noise(int noise) {
            this.noise = noise;
            return this;
        }

        /** True (the default): real time at each camera's fps. False: as fast as the job takes frames. */
        public Builder paced(boolean paced) {
            this.paced = paced;
            return this;
        }

        /** Each camera stops after {@code frames} frames (sequences 0..frames-1). */
        public Builder framesPerCamera(long frames) {
            this.frames = frames;
            return this;
        }

        /** Each camera stops after {@code seconds} of its capture clock ({@code seconds * fps} frames). */
        public Builder seconds(double seconds) {
            this.seconds = seconds;
            return this;
        }

        /** Unpaced only: the capture time of frame 0, microseconds since the epoch; the build time unless set. */
        public Builder clockStartMicros(long micros) {
            this.clockStartMicros = micros;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting or camera that is wrong and why
         */
        public SensorSource build() {
            if (cameras.isEmpty()) {
                throw new IllegalArgumentException("no cameras: add some with cameras(n) or camera(id, ...)");
            }
            if (noise < 0 || noise > 64) {
                throw new IllegalArgumentException("noise " + noise + " is out of range; expected 0..64");
            }
            if (frames >= 0 && seconds >= 0) {
                throw new IllegalArgumentException("both framesPerCamera(" + frames + ") and seconds(" + seconds
                        + ") are set; choose one bound");
            }
            if (frames != -1 && frames < 1) {
                throw new IllegalArgumentException("framesPerCamera " + frames + " is out of range; expected 1 or more");
            }
            if (seconds != -1 && !(seconds > 0 && seconds <= 1e7)) {
                throw new IllegalArgumentException("seconds " + seconds + " is out of range; expected more than 0");
            }
            long clockStart = clockStartMicros != null ? clockStartMicros
                    : ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
            Set<String> seen = new HashSet<>();
            List<SensorSplit> splits = new ArrayList<>();
            for (Camera c : cameras) {
                String id = ChannelId.check(c.channel());
                if (!seen.add(id)) {
                    throw new IllegalArgumentException("camera " + id + " is added twice; channel ids must be unique");
                }
                int w = c.width() != null ? c.width() : width;
                int h = c.height() != null ? c.height() : height;
                PixelFormat f = Objects.requireNonNull(c.format() != null ? c.format() : format, "format");
                int r = c.fps() != null ? c.fps() : fps;
                try {
                    Frame.checkDimensions(w, h, PixelFormat.I420);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("camera " + id + ": " + e.getMessage()
                            + " (the scene is rendered in 4:2:0 before conversion)", e);
                }
                if (r < 1 || r > 240) {
                    throw new IllegalArgumentException("camera " + id + ": fps " + r + " is out of range; expected 1..240");
                }
                long end = frames > 0 ? frames : seconds > 0 ? Math.max(1, Math.round(seconds * r)) : -1;
                splits.add(new SensorSplit(splits.size(), id, w, h, f, r, noise, 0, end, clockStart));
            }
            return new SensorSource(splits, paced, frames > 0 || seconds > 0);
        }
    }
}
