package io.vencflow.operators.bench;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.RateControlMode;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.Frame;
import io.vencflow.operators.ChannelConfigs;
import io.vencflow.operators.VideoEncoding;
import io.vencflow.operators.VideoTypes;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What the Flink job costs on top of the encoders: the same frames through (a) a bare loop over
 * {@link VideoEncoder} and (b) a Flink job with the keyed encoder ({@link VideoEncoding#encode}) on a
 * local MiniCluster, in the same run; prints the fps of both and their ratio.
 *
 * <p>What makes the two comparable:
 * <ul>
 *   <li>Same frames. Each channel cycles through the same pool of {@value #POOL} rendered pictures of
 *       its synthetic scene (frame i is picture i % {@value #POOL} with sequence i), so producing a
 *       frame costs nothing on either side and neither side reads a disk. The job's source renders its
 *       pools when it opens; the bare loop's are rendered before its clock starts.
 *   <li>Same work. Every channel's frames are encoded in sequence order by one encoder per channel,
 *       opened with the same config (the encoder's opening is timed on both sides).
 *   <li>Same parallelism. (a) runs one thread per channel, all started together; (b) runs the encoder
 *       with parallelism = channels, and the channel ids are chosen so that each lands on its own
 *       subtask (with Flink's key-group hashing some ids would share one). The source has the same
 *       parallelism, one channel per split.
 *   <li>Timed span. (a) from the threads' start to the last one's end; (b) from the moment every source
 *       subtask is ready (a start line they all wait at) to the last access unit the sink receives. The
 *       MiniCluster's start and the job's deployment, one-off costs of a long-running job, are left
 *       out; everything on the data path is in: the source, the serialization of every frame, the
 *       keyBy exchange, keyed state and timers, the encode, the metrics, the sink.
 *   <li>Warm-up and rounds. JCodec takes the JIT minutes to compile fully, so {@link #main} first runs
 *       the bare loop untimed; then it runs both sides several times, alternating which goes first,
 *       and keeps the best of each, so the JIT and noise from other processes (which only ever slow a
 *       side down) do not decide the ratio. It also prints frames per CPU-second of the whole process
 *       (encoders, Flink, GC, JIT), which load from other processes on the machine barely moves.
 * </ul>
 *
 * <p>The job's sources and sink find their clock through this JVM, so the benchmark runs on a local
 * MiniCluster only.
 */
public final class PipelineBench {
    /** Distinct pictures per channel, a second of motion at 30 fps. */
    static final int POOL = 30;
    private static final int MAX_PARALLELISM = 128;

    private PipelineBench() {
    }

    /** One measurement: fps and bytes of both sides. */
    public record Result(int channels, int width, int height, int framesPerChannel, Backend backend, double bareFps,
            double bareCpuFps, long bareBytes, double jobFps, double jobCpuFps, long jobBytes) {

        /** Job fps over bare fps (wall clock): 1.0 means the pipeline costs nothing. */
        public double ratio() {
            return jobFps / bareFps;
        }

        /** The same per CPU second of the whole process, which other processes on the machine barely move. */
        public double cpuRatio() {
            return jobCpuFps / bareCpuFps;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "bare %.1f fps (%.1f per cpu-s, %d bytes), job %.1f fps (%.1f per cpu-s,"
                    + " %d bytes), job/bare %.3f (cpu %.3f)", bareFps, bareCpuFps, bareBytes, jobFps, jobCpuFps, jobBytes,
                    ratio(), cpuRatio());
        }
    }

    /**
     * Measures (a) the bare loop, then (b) the Flink job, on {@code channels} channels of {@code frames}
     * frames of {@code width}x{@code height}, encoded with {@code config} (its size is replaced).
     */
    public static Result run(int channels, int width, int height, int frames, EncoderConfig config) throws Exception {
        return run(channels, width, height, frames, config, false);
    }

    /** As {@link #run(int, int, int, int, EncoderConfig)}, with (b) before (a) when {@code jobFirst}. */
    static Result run(int channels, int width, int height, int frames, EncoderConfig config, boolean jobFirst)
            throws Exception {
        if (channels < 1 || channels > 64 || frames < 1) {
            throw new IllegalArgumentException("channels " + channels + " / frames " + frames
                    + " out of range; expected 1..64 channels and 1 or more frames");
        }
        EncoderConfig cfg = config.toBuilder().size(width, height).build();
        String[] ids = channelIds(channels);
        long[] job = null;
        if (jobFirst) {
            job = job(ids, cfg, frames);
        }
        long[] bare = bareLoop(ids, cfg, frames);
        if (!jobFirst) {
            job = job(ids, cfg, frames);
        }
        long total = (long) channels * frames;
        Backend backend;
        try (VideoEncoder probe = VideoEncoder.open(cfg)) {
            backend = probe.backend();
        }
        return new Result(channels, width, height, frames, backend, total / (bare[0] / 1e9), total / (bare[1] / 1e9),
                bare[2], total / (job[0] / 1e9), total / (job[1] / 1e9), job[2]);
    }

    /** Channel ids that Flink's key-group hashing sends to distinct subtasks of a {@code channels}-wide operator. */
    static String[] channelIds(int channels) {
        String[] ids = new String[channels];
        boolean[] taken = new boolean[channels];
        int found = 0;
        for (int n = 0; found < channels; n++) {
            String id = "cam-" + n;
            int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(id, MAX_PARALLELISM, channels);
            if (!taken[subtask]) {
                taken[subtask] = true;
                ids[found++] = id;
            }
        }
        return ids;
    }

    /** (a): one thread per channel; returns {nanoseconds, process CPU nanoseconds, bytes}. */
    private static long[] bareLoop(String[] ids, EncoderConfig cfg, int frames) throws Exception {
        FramePool[] pools = new FramePool[ids.length];
        for (int c = 0; c < ids.length; c++) {
            pools[c] = new FramePool(ids[c], cfg.width(), cfg.height(), POOL);
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong bytes = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < ids.length; c++) {
            FramePool pool = pools[c];
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    long n = 0;
                    try (VideoEncoder encoder = VideoEncoder.open(cfg)) {
                        for (long i = 0; i < frames; i++) {
                            Frame f = pool.frame(i);
                            EncodedFrame au = encoder.encode(f);
                            n += au.annexBSize();
                        }
                    }
                    bytes.addAndGet(n);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "bare-" + ids[c]);
            t.start();
            threads.add(t);
        }
        long cpu0 = CpuClock.processNanos();
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long nanos = System.nanoTime() - t0;
        long cpuNanos = CpuClock.processNanos() - cpu0;
        if (failure.get() != null) {
            throw new IllegalStateException("the bare loop failed", failure.get());
        }
        return new long[] {nanos, cpuNanos, bytes.get()};
    }

    /** (b): the Flink job on a local MiniCluster; returns {nanoseconds, process CPU nanoseconds, bytes}. */
    private static long[] job(String[] ids, EncoderConfig cfg, int frames) throws Exception {
        int channels = ids.length;
        long total = (long) channels * frames;
        String runId = UUID.randomUUID().toString();
        RunClock clock = RunClock.create(runId, channels, total);
        try {
            Configuration conf = new Configuration();
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            conf.set(TaskManagerOptions.NUM_TASK_SLOTS, channels);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(channels, conf);
            env.setMaxParallelism(MAX_PARALLELISM);
            DataGeneratorSource<Frame> source = new DataGeneratorSource<>(
                    new PooledFrameGenerator(runId, ids, cfg.width(), cfg.height(), frames, POOL), total,
                    VideoTypes.FRAME);
            DataStream<Frame> input = env.fromSource(source, WatermarkStrategy.noWatermarks(), "pooled frames");
            VideoEncoding.encode(input, ChannelConfigs.of(cfg)).sinkTo(new CountingSink(runId)).name("count");
            env.execute("vencflow pipeline bench");
            if (clock.frames() != total) {
                throw new IllegalStateException("the job's sink received " + clock.frames() + " access units of " + total);
            }
            return new long[] {clock.nanos(), clock.cpuNanos(), clock.bytes()};
        } finally {
            RunClock.remove(runId);
        }
    }

    /**
     * {@code PipelineBench [--channels 4] [--size 640x480] [--frames 300] [--backend auto|ffmpeg|jcodec]
     * [--rounds 3] [--warmup 300] [--qp 26] [--gop 30]}: constant QP, so rate control makes the same
     * choices on both sides; {@code --warmup} frames per channel go through the bare loop untimed first.
     */
    public static void main(String[] args) throws Exception {
        int channels = 4;
        int width = 640;
        int height = 480;
        int frames = 300;
        int rounds = 3;
        int warmup = 300;
        int qp = 26;
        int gop = 30;
        Backend backend = Backend.AUTO;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--channels" -> channels = Integer.parseInt(value);
                case "--size" -> {
                    String[] wh = value.toLowerCase(Locale.ROOT).split("x");
                    width = Integer.parseInt(wh[0]);
                    height = Integer.parseInt(wh[1]);
                }
                case "--frames" -> frames = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--qp" -> qp = Integer.parseInt(value);
                case "--gop" -> gop = Integer.parseInt(value);
                case "--backend" -> backend = Backend.parse(value);
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; expected --channels,"
                        + " --size, --frames, --backend, --rounds, --warmup, --qp or --gop");
            }
            i++;
        }
        EncoderConfig config = EncoderConfig.builder().backend(backend).rateControl(RateControlMode.CQP).qp(qp)
                .gop(gop).threads(1).build();
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "vencflow pipeline bench: %d channels x %d frames of %dx%d, %s, %d rounds%n", channels,
                frames, width, height, config.toBuilder().size(width, height).build(), rounds);
        if (warmup > 0) {
            out.printf(Locale.ROOT, "warm-up: %d frames per channel through the bare loop%n", warmup);
            bareLoop(channelIds(channels), config.toBuilder().size(width, height).build(), warmup);
        }
        Result bestBare = null;
        Result bestJob = null;
        Result bestBareCpu = null;
        Result bestJobCpu = null;
        for (int r = 1; r <= rounds; r++) {
            // Alternate which side goes first, so a drift in the machine's load favours neither.
            Result res = run(channels, width, height, frames, config, r % 2 == 0);
            out.printf(Locale.ROOT, "round %d: %s%n", r, res);
            bestBare = bestBare == null || res.bareFps() > bestBare.bareFps() ? res : bestBare;
            bestJob = bestJob == null || res.jobFps() > bestJob.jobFps() ? res : bestJob;
            bestBareCpu = bestBareCpu == null || res.bareCpuFps() > bestBareCpu.bareCpuFps() ? res : bestBareCpu;
            bestJobCpu = bestJobCpu == null || res.jobCpuFps() > bestJobCpu.jobCpuFps() ? res : bestJobCpu;
        }
        out.printf(Locale.ROOT, "backend    %s%n", bestBare.backend().id());
        out.printf(Locale.ROOT, "bare loop  %8.1f fps  %8.1f frames per cpu-s  %d bytes%n", bestBare.bareFps(),
                bestBareCpu.bareCpuFps(), bestBare.bareBytes());
        out.printf(Locale.ROOT, "flink job  %8.1f fps  %8.1f frames per cpu-s  %d bytes%n", bestJob.jobFps(),
                bestJobCpu.jobCpuFps(), bestJob.jobBytes());
        out.printf(Locale.ROOT, "job/bare   %8.3f      %8.3f (best of %d rounds each)%n",
                bestJob.jobFps() / bestBare.bareFps(), bestJobCpu.jobCpuFps() / bestBareCpu.bareCpuFps(), rounds);
    }
}
