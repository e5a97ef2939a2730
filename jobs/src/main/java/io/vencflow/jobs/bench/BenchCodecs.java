package io.vencflow.jobs.bench;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Preset;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.codec.RateControlMode;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.codec.jcodec.JcodecEncoder;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import io.vencflow.core.quality.BdRate;
import io.vencflow.jobs.cli.Converters;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vencflow bench codecs}: the three H.264 Constrained Baseline encoders vencflow has (our own
 * {@code java} backend, JCodec, and libx264 ultrafast) on the same generated frames at constant QP, in
 * one run: speed at one and two threads, size, per-plane PSNR as libavcodec decodes the streams, and
 * the BD-rate of the java encoder against each of the others. Beside the two-thread speed, its
 * reference on this machine: two one-thread encodes at once, each on a thread of its own (what two
 * cores give two independent channels). Ends with the java encoder's goals, met
 * or not. A report: it returns 0 whatever the figures.
 */
@Command(name = "codecs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare the H.264 baseline encoders: java, jcodec and x264 ultrafast at constant QP,",
            "fps at 1 and 2 threads, bytes, PSNR (decoded by libavcodec), BD-rate of java against the others."})
final class BenchCodecs implements Callable<Integer> {
    private static final double GOAL_JAVA_OVER_JCODEC_FPS = 3.0;
    private static final double GOAL_JAVA_TWO_THREAD_SPEEDUP = 1.8;
    private static final double GOAL_BD_RATE_VS_JCODEC_PERCENT = -50;
    private static final double GOAL_BD_RATE_VS_X264_PERCENT = 0;

    @Spec
    CommandSpec spec;

    @Option(names = "--size", converter = Converters.SizeConverter.class, defaultValue = "1280x720",
            description = "frame size (default: ${DEFAULT-VALUE})")
    Converters.Size size;

    @Option(names = {"-i", "--input"},
            description = "a raw I420 clip of --size to encode instead of the generated scene (looped to fill the frames)")
    java.nio.file.Path input;

    @Option(names = "--frames", defaultValue = "60", description = "frames timed per encode (default: ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--warmup", defaultValue = "8",
            description = "frames encoded untimed before each timed encode (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--fps", defaultValue = "30",
            description = "nominal frame rate; also the GOP length and the base of kbit/s (default: ${DEFAULT-VALUE})")
    int fps;

    @Option(names = "--noise", defaultValue = "2",
            description = "amplitude of the scene's temporal luma noise (default: ${DEFAULT-VALUE})")
    int noise;

    @Option(names = "--qps", split = ",", defaultValue = "22,26,30,34",
            description = "QPs of the java and x264 curves, four or more (default: ${DEFAULT-VALUE})")
    List<Integer> qps;

    @Option(names = "--jcodec-qps", split = ",", defaultValue = "20,23,26,29",
            description = "QPs of the jcodec curve, four or more, at most 29 (default: ${DEFAULT-VALUE})")
    List<Integer> jcodecQps;

    @Option(names = "--java-preset", converter = Converters.PresetConverter.class, defaultValue = "veryfast",
            description = "preset of the java encoder; ultrafast skips sub-pel motion search (default: ${DEFAULT-VALUE})")
    Preset javaPreset;

    @Option(names = "--java-aq", defaultValue = "0",
            description = "adaptive quantization strength of the java encoder, 0 (off) to 3 (default: ${DEFAULT-VALUE})")
    double javaAq;

    @Option(names = "--rounds", defaultValue = "3",
            description = "runs of each encode; the fastest is kept (default: ${DEFAULT-VALUE})")
    int rounds;

    /** One encoder of the comparison, and how to configure it at a QP and a thread count. */
    private enum Contender {
        JAVA("java", true),
        JCODEC("jcodec", false),
        X264("x264 ultrafast", true);

        final String label;
        final boolean threaded;

        Contender(String label, boolean threaded) {
            this.label = label;
            this.threaded = threaded;
        }
    }

    private List<Frame> render() {
        SyntheticScene scene = new SyntheticScene("bench", size.width(), size.height(), PixelFormat.I420, noise);
        List<Frame> source = new ArrayList<>(warmup + frames);
        for (int i = 0; i < warmup + frames; i++) {
            source.add(scene.render(i, i * 1_000_000L / fps));
        }
        return source;
    }

    private List<Frame> readClip() {
        List<Frame> clip = new ArrayList<>();
        try (io.vencflow.core.io.FrameReader r = io.vencflow.core.io.FrameReader.open(input, "bench",
                new int[] {size.width(), size.height()}, PixelFormat.I420, fps, 0)) {
            for (Frame f = r.next(); f != null; f = r.next()) {
                clip.add(f);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + input + ": " + e.getMessage(), e);
        }
        if (clip.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--input " + input
                    + " holds no whole " + size + " I420 frame");
        }
        List<Frame> source = new ArrayList<>(warmup + frames);
        for (int i = 0; i < warmup + frames; i++) {
            source.add(clip.get(i % clip.size()).withSequence(i, i * 1_000_000L / fps));
        }
        return source;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        check();
        out.printf("rendering %d frames of %s...%n", warmup + frames, size);
        out.flush();
        List<Frame> source = input != null ? readClip() : render();

        List<Trial> trials = new ArrayList<>();
        for (Contender c : Contender.values()) {
            for (int qp : c == Contender.JCODEC ? jcodecQps : qps) {
                trials.add(new Trial(c, qp, config(c, qp, 1), c.threaded ? config(c, qp, 2) : null));
            }
        }
        // Rounds interleave the encodes, so JIT warm-up and machine noise do not favour whichever runs last.
        for (int round = 0; round < rounds; round++) {
            out.printf("round %d of %d...%n", round + 1, rounds);
            out.flush();
            for (Trial t : trials) {
                t.oneThread.run(source, warmup, round == 0);
                if (t.twoThreads != null) {
                    t.twoThreads.run(source, warmup, round == 0);
                    t.twoAtOnce.run(source.subList(warmup, source.size()));
                }
            }
        }

        out.println();
        out.println(String.format("%-20s %3s %7s %7s %7s %7s %6s %7s %10s %8s %6s %6s %6s %6s %7s %6s", "encoder", "qp",
                "fps 1t", "cpu fps", "KB/fr", "fps 2t", "2t/1t", "2x1t", "bytes", "kbit/s", "Y dB", "U dB", "V dB",
                "SSIM", "2t size", "errors"));
        for (Trial t : trials) {
            out.println(t.format());
        }
        out.printf("%n%d frames of %s at %d fps (gop %d), %s, %d warm-up frames before each encode, best of "
                + "%d rounds, %d cores.%nAll H.264 Constrained Baseline at constant QP; java at preset %s%s (kernels: "
                + io.vencflow.core.codec.avc.AvcEncoder.kernels() + "); jcodec at QPs %s "
                + "(it never codes above QP %d).%nbytes, kbit/s, dB and SSIM (luma) are of the 1-thread stream, '2t size' is the "
                + "2-thread stream's size beside it, errors count both streams;%n'cpu fps' = frames per CPU-second of the "
                + "encoding thread, 1 thread;%n'KB/fr' = KB the encoding thread allocated a frame, 1 thread (fewest "
                + "of the rounds: the steady state);%n'2x1t' = frames a second of two 1-thread encodes of the same "
                + "frames at once, each on a thread of its own:%n  what two cores give two independent channels "
                + "here, the reference for 'fps 2t'.%n", frames, size, fps, fps, input != null ? "clip " + input.getFileName() : "generated scene, noise " + noise, warmup, rounds,
                Runtime.getRuntime().availableProcessors(), javaPreset.id(), javaAq > 0 ? ", aq " + javaAq : "", jcodecQps,
                JcodecEncoder.MAX_CONFORMANT_QP);

        out.println();
        Bd vsJcodec = Bd.of(curve(trials, Contender.JCODEC), curve(trials, Contender.JAVA));
        Bd vsX264 = Bd.of(curve(trials, Contender.X264), curve(trials, Contender.JAVA));
        out.println("BD-rate java vs jcodec:         " + vsJcodec.format());
        out.println("BD-rate java vs x264 ultrafast: " + vsX264.format());
        out.println("(from the 1-thread (kbit/s, Y PSNR) points; negative = java needs fewer bits for the same PSNR)");
        Bd vsJcodecSsim = Bd.of(curve(trials, Contender.JCODEC, true), curve(trials, Contender.JAVA, true));
        Bd vsX264Ssim = Bd.of(curve(trials, Contender.X264, true), curve(trials, Contender.JAVA, true));
        out.println("BD-rate by SSIM, java vs jcodec:         " + vsJcodecSsim.rate());
        out.println("BD-rate by SSIM, java vs x264 ultrafast: " + vsX264Ssim.rate());
        out.println("(the same from (kbit/s, luma SSIM in dB: -10 log10(1 - SSIM)) points; x264 ultrafast has no AQ)");

        double javaFps = fps(trials, Contender.JAVA, t -> t.oneThread);
        double javaFps2 = fps(trials, Contender.JAVA, t -> t.twoThreads);
        double jcodecFps = fps(trials, Contender.JCODEC, t -> t.oneThread);
        out.println();
        out.println("goals (fps over all QPs of a curve: frames / total time)");
        goal(out, String.format("java fps >= %.0fx jcodec fps, 1 thread: %.1f vs %.1f = %.2fx", GOAL_JAVA_OVER_JCODEC_FPS,
                javaFps, jcodecFps, javaFps / jcodecFps), javaFps >= GOAL_JAVA_OVER_JCODEC_FPS * jcodecFps);
        goal(out, String.format("java 2-thread fps >= %.1fx 1-thread: %.1f vs %.1f = %.2fx", GOAL_JAVA_TWO_THREAD_SPEEDUP,
                javaFps2, javaFps, javaFps2 / javaFps), javaFps2 >= GOAL_JAVA_TWO_THREAD_SPEEDUP * javaFps);
        double javaPairFps = fps(trials, Contender.JAVA, t -> t.twoAtOnce);
        out.printf("            (two 1-thread java encodes at once, this machine's reference: %.1f fps = %.2fx 1-thread;"
                + "%n             java on 2 threads gives %.0f %% of it)%n", javaPairFps, javaPairFps / javaFps,
                100 * javaFps2 / javaPairFps);
        String short2t = referenceBelowGoal(javaPairFps / javaFps);
        if (short2t != null) {
            out.println("            " + short2t);
        }
        goal(out, String.format("BD-rate java vs jcodec <= %.0f %%: %s", GOAL_BD_RATE_VS_JCODEC_PERCENT, vsJcodec.rate()),
                vsJcodec.atMost(GOAL_BD_RATE_VS_JCODEC_PERCENT));
        goal(out, String.format("BD-rate java vs x264 ultrafast <= %.0f %%: %s", GOAL_BD_RATE_VS_X264_PERCENT,
                vsX264.rate()), vsX264.atMost(GOAL_BD_RATE_VS_X264_PERCENT));
        out.flush();
        return 0;
    }

    private void check() {
        if (frames < 1 || warmup < 0 || rounds < 1 || fps < 1) {
            throw new IllegalArgumentException("--frames, --rounds and --fps must be 1 or more, --warmup 0 or more");
        }
        if (qps.size() < 4 || jcodecQps.size() < 4) {
            throw new IllegalArgumentException("--qps " + qps + " and --jcodec-qps " + jcodecQps
                    + " need four QPs or more each: a BD-rate fits a cubic to each curve");
        }
        for (int q : jcodecQps) {
            if (q > JcodecEncoder.MAX_CONFORMANT_QP) {
                throw new IllegalArgumentException("--jcodec-qps " + q + " is above " + JcodecEncoder.MAX_CONFORMANT_QP
                        + ", the highest QP jcodec codes (it quantizes chroma with the luma QP)");
            }
        }
    }

    private EncoderConfig config(Contender c, int qp, int threads) {
        EncoderConfig.Builder b = EncoderConfig.builder().codec(Codec.H264).profile(Profile.BASELINE)
                .size(size.width(), size.height()).fps(fps).gop(fps).rateControl(RateControlMode.CQP).qpRange(0, 51)
                .qp(qp).threads(threads);
        return switch (c) {
            case JAVA -> b.backend(Backend.JAVA).preset(javaPreset).aqStrength(javaAq).build();
            case JCODEC -> b.backend(Backend.JCODEC).build();
            case X264 -> b.backend(Backend.FFMPEG).preset(Preset.ULTRAFAST).build();
        };
    }

    private static List<BdRate.Point> curve(List<Trial> trials, Contender c) {
        return curve(trials, c, false);
    }

    /** A contender's 1-thread (kbit/s, quality) points: luma PSNR, or with {@code ssim} luma SSIM in dB. */
    private static List<BdRate.Point> curve(List<Trial> trials, Contender c, boolean ssim) {
        List<BdRate.Point> points = new ArrayList<>();
        for (Trial t : trials) {
            if (t.contender == c) {
                io.vencflow.core.quality.PlaneStats q = t.oneThread.stream.quality();
                points.add(new BdRate.Point(t.oneThread.kbps(), ssim ? q.ssimDb() : q.psnr(0)));
            }
        }
        return points;
    }

    /**
     * A curve's frames over its total best time: the fps of encoding at each of its QPs in turn, by
     * the encode of each trial that {@code timing} picks.
     */
    private static double fps(List<Trial> trials, Contender c, Function<Trial, Timed> timing) {
        long frameCount = 0;
        double seconds = 0;
        for (Trial t : trials) {
            if (t.contender == c) {
                Timed e = timing.apply(t);
                frameCount += e.framesTimed();
                seconds += e.bestWallNanos() / 1e9;
            }
        }
        return frameCount / seconds;
    }

    /** Encodes timed over the rounds: the frames one timing encodes, and its fastest wall time. */
    private interface Timed {
        long framesTimed();

        long bestWallNanos();

        default double fps() {
            return framesTimed() / (bestWallNanos() / 1e9);
        }
    }

    /**
     * When two independent 1-thread encodes at once gain less than the two-thread goal over one, the
     * machine did not give this run two whole cores: says so, naming the figure; else null.
     */
    static String referenceBelowGoal(double pairOverOneThread) {
        if (pairOverOneThread >= GOAL_JAVA_TWO_THREAD_SPEEDUP) {
            return null;
        }
        return String.format("(the reference itself is %.2fx, below the %.1fx goal: two cores were not two whole cores"
                + " in this run, so it cannot show that goal)", pairOverOneThread, GOAL_JAVA_TWO_THREAD_SPEEDUP);
    }

    private static void goal(PrintWriter out, String what, boolean met) {
        out.printf("  %-9s %s%n", met ? "met" : "NOT met", what);
    }

    /** One contender at one QP: its 1-thread encode, and its 2-thread one where it has threads. */
    private static final class Trial {
        final Contender contender;
        final int qp;
        final Encode oneThread;
        final Encode twoThreads;
        /** Two of the 1-thread encode at once (where there are threads): the reference for {@link #twoThreads}. */
        final TwoAtOnce twoAtOnce;

        Trial(Contender contender, int qp, EncoderConfig oneThread, EncoderConfig twoThreads) {
            this.contender = contender;
            this.qp = qp;
            this.oneThread = new Encode(oneThread);
            this.twoThreads = twoThreads == null ? null : new Encode(twoThreads);
            this.twoAtOnce = twoThreads == null ? null : new TwoAtOnce(oneThread);
        }

        String format() {
            Encode one = oneThread;
            String fps2 = "-";
            String speedup = "-";
            String size2 = "-";
            String pair = "-";
            long errors = one.stream.decodeErrors();
            if (twoThreads != null) {
                fps2 = String.format("%.1f", twoThreads.fps());
                pair = String.format("%.1f", twoAtOnce.fps());
                speedup = String.format("%.2f", twoThreads.fps() / one.fps());
                size2 = String.format("%+.1f%%", 100.0 * twoThreads.stream.bytes() / one.stream.bytes() - 100);
                errors += twoThreads.stream.decodeErrors();
            }
            return String.format("%-20s %3d %7.1f %7.1f %7s %7s %6s %7s %10d %8.0f %6.2f %6.2f %6.2f %6.4f %7s %6d",
                    contender.label, qp, one.fps(), one.cpuFps(), one.allocated(), fps2, speedup, pair, one.stream.bytes(),
                    one.kbps(), one.stream.quality().psnr(0), one.stream.quality().psnr(1),
                    one.stream.quality().psnr(2), one.stream.quality().ssim(), size2, errors);
        }
    }

    /** Encodes of one config: the fastest timing over the rounds, and the stream of the first. */
    private static final class Encode implements Timed {
        final EncoderConfig config;
        Elapsed best;
        /** The fewest bytes a timed encode allocated on the calling thread (-1: not counted). */
        long fewestAllocated = Long.MAX_VALUE;
        DecodedStream stream;
        int frames;

        Encode(EncoderConfig config) {
            this.config = config;
        }

        /** Encodes the warm-up frames on an encoder of its own, then times a fresh one on the rest. */
        void run(List<Frame> source, int warmup, boolean check) {
            try (VideoEncoder warm = VideoEncoder.open(config)) {
                for (int i = 0; i < warmup; i++) {
                    warm.encode(source.get(i));
                }
            }
            List<Frame> timed = source.subList(warmup, source.size());
            List<EncodedFrame> encoded = new ArrayList<>(timed.size());
            Elapsed elapsed;
            try (VideoEncoder encoder = VideoEncoder.open(config)) {
                Elapsed.Clock clock = Elapsed.start();
                for (Frame f : timed) {
                    encoded.add(encoder.encode(f));
                }
                elapsed = clock.stop();
            }
            frames = timed.size();
            if (best == null || elapsed.wallNanos() < best.wallNanos()) {
                best = elapsed;
            }
            fewestAllocated = Math.min(fewestAllocated, elapsed.allocatedBytes());
            if (check) {
                stream = DecodedStream.of(encoded, timed);
            }
        }

        @Override
        public long framesTimed() {
            return frames;
        }

        @Override
        public long bestWallNanos() {
            return best.wallNanos();
        }

        double cpuFps() {
            return frames / (best.cpuNanos() / 1e9);
        }

        /** KB allocated a frame on the calling thread, in the round that allocated least; "-" where not counted. */
        String allocated() {
            return fewestAllocated < 0 ? "-" : String.format("%.1f", fewestAllocated / 1024.0 / frames);
        }

        double kbps() {
            return stream.bytes() * 8.0 * config.fps() / frames / 1000;
        }
    }

    /**
     * Two encoders of one config encoding the same frames at once, each on a thread of its own: the
     * fastest wall time over the rounds from both starting to both done.
     */
    static final class TwoAtOnce implements Timed {
        final EncoderConfig config;
        long fastestNanos = Long.MAX_VALUE;
        /** Frames each of the two encodes. */
        int frames;

        TwoAtOnce(EncoderConfig config) {
            this.config = config;
        }

        void run(List<Frame> timed) {
            CyclicBarrier start = new CyclicBarrier(3);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> done = new ArrayList<>(2);
                for (int i = 0; i < 2; i++) {
                    done.add(pool.submit(() -> {
                        // Every party reaches the barrier, even when its encoder fails to open.
                        VideoEncoder encoder = null;
                        RuntimeException failed = null;
                        try {
                            encoder = VideoEncoder.open(config);
                        } catch (RuntimeException e) {
                            failed = e;
                        }
                        start.await();
                        if (failed != null) {
                            throw failed;
                        }
                        try (VideoEncoder e = encoder) {
                            for (Frame f : timed) {
                                e.encode(f);
                            }
                        }
                        return null;
                    }));
                }
                start.await();
                long t0 = System.nanoTime();
                for (Future<?> f : done) {
                    f.get();
                }
                fastestNanos = Math.min(fastestNanos, System.nanoTime() - t0);
                frames = timed.size();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while timing two encodes at once", e);
            } catch (BrokenBarrierException | ExecutionException e) {
                throw new IllegalStateException("two " + config.backend().id() + " encodes at once failed: " + e, e);
            } finally {
                pool.shutdownNow();
            }
        }

        /** Frames of both encodes. */
        @Override
        public long framesTimed() {
            return 2L * frames;
        }

        @Override
        public long bestWallNanos() {
            return fastestNanos;
        }
    }

    /** A BD-rate and BD-PSNR, or why there is none (too few points, curves that do not overlap). */
    private record Bd(double ratePercent, double psnrDb, String missing) {
        static Bd of(List<BdRate.Point> reference, List<BdRate.Point> test) {
            try {
                double rate = BdRate.ratePercent(reference, test);
                double psnr;
                try {
                    psnr = BdRate.psnrDb(reference, test);
                } catch (IllegalArgumentException e) {
                    psnr = Double.NaN;
                }
                return new Bd(rate, psnr, null);
            } catch (IllegalArgumentException e) {
                return new Bd(Double.NaN, Double.NaN, e.getMessage());
            }
        }

        String rate() {
            return missing != null ? "n/a" : String.format("%+.1f %%", ratePercent);
        }

        boolean atMost(double percent) {
            return missing == null && ratePercent <= percent;
        }

        String format() {
            if (missing != null) {
                return "n/a (" + missing + ")";
            }
            return String.format("%+7.1f %%   BD-PSNR %s", ratePercent,
                    Double.isNaN(psnrDb) ? "n/a (the rate ranges do not overlap)" : String.format("%+.2f dB", psnrDb));
        }
    }
}
