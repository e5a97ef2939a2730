package io.vencflow.connectors.bench;

import io.vencflow.connectors.kafka.EmbeddedKafka;
import io.vencflow.connectors.kafka.FrameOrDeadLetter;
import io.vencflow.connectors.kafka.KafkaVideo;
import io.vencflow.connectors.kafka.internal.WireRecordSerializer;
import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Preset;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import io.vencflow.core.wire.FrameRecords;
import io.vencflow.operators.ChannelConfigs;
import io.vencflow.operators.VideoEncoding;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Throughput through Kafka: frames in a frame topic -> Flink (Kafka source, decode, keyed encoder)
 * -> NAL records in a NAL topic with exactly-once transactions, on a local MiniCluster and the in-JVM
 * broker; beside it, in the same run, the encoder alone: a bare loop over the same frames with the same
 * config, one thread per channel. Prints frames/s, MB/s of pixels in and of NAL units out, and frames
 * per CPU-second of the process, for both.
 *
 * <pre>
 * java -Xmx4g -cp ... io.vencflow.connectors.bench.KafkaPipelineBench [channels] [WxH] [frames per channel] [h264|h265] [rounds]
 * </pre>
 * Defaults: 4 channels, 640x480 I420, 300 frames each, H.264 Main, libx264 ultrafast (one thread per
 * encoder), 2 rounds (the best of each side counts). The jobs run on one MiniCluster started up front;
 * a job's span runs from submission to its end (deployment and the last commit included), its steady
 * figure from the produce times of the first and last NAL record. The broker lives in this process, so
 * the job's CPU figure includes Kafka's own work.
 */
public final class KafkaPipelineBench {
    /** Distinct pictures per channel: frames cycle through them, so producing a frame costs nothing. */
    private static final int POOL = 30;
    private static final int FPS = 30;

    private KafkaPipelineBench() {
    }

    /** One side's figures. */
    record Side(long frames, double seconds, double cpuSeconds, long bytesIn, long bytesOut) {
        double fps() {
            return frames / seconds;
        }

        double mbInPerSecond() {
            return bytesIn / seconds / 1e6;
        }

        double mbOutPerSecond() {
            return bytesOut / seconds / 1e6;
        }

        double framesPerCpuSecond() {
            return frames / cpuSeconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%8.1f frames/s  %8.1f MB/s in  %6.2f MB/s out  %7.1f frames/cpu-s  (%d frames"
                    + " in %.2f s, %d B out)", fps(), mbInPerSecond(), mbOutPerSecond(), framesPerCpuSecond(), frames,
                    seconds, bytesOut);
        }
    }

    public static void main(String[] args) throws Exception {
        int channels = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        String[] size = (args.length > 1 ? args[1] : "640x480").split("x");
        int width = Integer.parseInt(size[0]);
        int height = Integer.parseInt(size[1]);
        int frames = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        Codec codec = args.length > 3 ? Codec.parse(args[3]) : Codec.H264;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        EncoderConfig config = EncoderConfig.builder().codec(codec).profile(Profile.MAIN).size(width, height).fps(FPS).gop(FPS).backend(Backend.FFMPEG).preset(Preset.ULTRAFAST)
                .threads(1).build();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            ids.add("cam" + i);
        }
        List<Frame[]> pools = pools(ids, width, height);
        long frameBytes = PixelFormat.I420.frameSize(width, height);
        System.out.printf(Locale.ROOT, "%d channels x %d frames of %dx%d I420 (%.2f MB each), %s %s ultrafast, %d cores%n",
                channels, frames, width, height, frameBytes / 1e6, codec.id(), config.profile(),
                Runtime.getRuntime().availableProcessors());

        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().withRandomPorts()
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(channels).build());
        cluster.start();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("bench-frames", channels);
            long t0 = System.nanoTime();
            fill(kafka.bootstrapServers(), "bench-frames", ids, pools, frames);
            double fillSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "frame topic filled: %d records, %.1f MB in %.2f s (%.1f MB/s)%n",
                    (long) channels * frames, channels * frames * frameBytes / 1e6, fillSeconds,
                    channels * frames * frameBytes / 1e6 / fillSeconds);

            encoderOnly(ids, pools, config, Math.min(frames, 60));
            Side bestBare = null;
            Side bestJob = null;
            Side bestSteady = null;
            for (int round = 1; round <= rounds; round++) {
                Side bare = encoderOnly(ids, pools, config, frames);
                Side[] job = job(cluster, kafka, channels, frames, config, round);
                System.out.println("round " + round + ":");
                System.out.println("  encoder only          " + bare);
                System.out.println("  kafka -> job -> kafka " + job[0]);
                System.out.println("    steady (NAL times)  " + job[1]);
                bestBare = bestBare == null || bare.fps() > bestBare.fps() ? bare : bestBare;
                bestJob = bestJob == null || job[0].fps() > bestJob.fps() ? job[0] : bestJob;
                bestSteady = bestSteady == null || job[1].fps() > bestSteady.fps() ? job[1] : bestSteady;
            }
            System.out.println("best of " + rounds + ":");
            System.out.println("  encoder only          " + bestBare);
            System.out.println("  kafka -> job -> kafka " + bestJob);
            System.out.println("    steady (NAL times)  " + bestSteady);
            System.out.printf(Locale.ROOT, "  job/encoder-only: %.2f (wall, with deployment), %.2f (steady), %.2f (per cpu-s)%n",
                    bestJob.fps() / bestBare.fps(), bestSteady.fps() / bestBare.fps(),
                    bestJob.framesPerCpuSecond() / bestBare.framesPerCpuSecond());
        } finally {
            cluster.closeAsync().get(1, TimeUnit.MINUTES);
        }
    }

    /** Per channel, {@value #POOL} rendered pictures of its scene. */
    private static List<Frame[]> pools(List<String> ids, int width, int height) {
        List<Frame[]> pools = new ArrayList<>();
        for (String id : ids) {
            SyntheticScene scene = new SyntheticScene(id, width, height, PixelFormat.I420);
            Frame[] pool = new Frame[POOL];
            for (int i = 0; i < POOL; i++) {
                pool[i] = scene.render(i, 0);
            }
            pools.add(pool);
        }
        return pools;
    }

    private static Frame frame(Frame[] pool, long sequence) {
        return pool[(int) (sequence % POOL)].withSequence(sequence, sequence * 1_000_000L / FPS);
    }

    private static void fill(String bootstrap, String topic, List<String> ids, List<Frame[]> pools, int frames)
            throws Exception {
        Properties p = KafkaVideo.frameSink().producerProperties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < frames; i++) {
                for (Frame[] pool : pools) {
                    producer.send(WireRecordSerializer.toProducerRecord(topic, FrameRecords.encode(frame(pool, i))));
                }
            }
            producer.flush();
        }
    }

    /** The bare loop: one thread per channel, each encoding its channel's frames in order. */
    private static Side encoderOnly(List<String> ids, List<Frame[]> pools, EncoderConfig config, int frames)
            throws Exception {
        AtomicLong bytesOut = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int c = 0; c < ids.size(); c++) {
            Frame[] pool = pools.get(c);
            Thread t = new Thread(() -> {
                try (VideoEncoder encoder = VideoEncoder.open(config)) {
                    long bytes = 0;
                    for (int i = 0; i < frames; i++) {
                        bytes += encoder.encode(frame(pool, i)).annexBSize();
                    }
                    bytesOut.addAndGet(bytes);
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "bare-" + ids.get(c));
            threads.add(t);
        }
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        long wall = System.nanoTime() - t0;
        long cpu = processCpuNanos() - cpu0;
        if (!failures.isEmpty()) {
            throw new IllegalStateException("the bare encoder loop failed", failures.get(0));
        }
        long n = (long) ids.size() * frames;
        return new Side(n, wall / 1e9, cpu / 1e9, n * PixelFormat.I420.frameSize(config.width(), config.height()),
                bytesOut.get());
    }

    /** The Flink job over the frame topic; [0] from submission to the end, [1] the NAL records' produce span. */
    private static Side[] job(MiniCluster cluster, EmbeddedKafka kafka, int channels, int frames, EncoderConfig config,
            int round) throws Exception {
        String nalTopic = "bench-nal-" + round;
        kafka.createTopic(nalTopic, channels);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(channels);
        env.enableCheckpointing(1000);
        Source<FrameOrDeadLetter, ?, ?> source = KafkaVideo.frameSource().bootstrapServers(kafka.bootstrapServers())
                .topic("bench-frames").groupId("bench-" + round + "-" + UUID.randomUUID()).bounded(true).build();
        VideoEncoding.encode(KafkaVideo.decodeFrames(env.fromSource(source,
                KafkaVideo.frameWatermarks(Duration.ofMillis(200)), "kafka frames")), ChannelConfigs.of(config))
                .sinkTo(KafkaVideo.nalSink().bootstrapServers(kafka.bootstrapServers()).topic(nalTopic)
                        .exactlyOnce("bench-" + round).build()).name("nal to kafka");
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName("kafka pipeline bench " + round);
        graph.setJobId(new JobID());
        JobID id = cluster.submitJob(graph).get(1, TimeUnit.MINUTES).getJobID();
        JobResult result = cluster.requestJobResult(id).get(30, TimeUnit.MINUTES);
        if (!result.isSuccess()) {
            throw new IllegalStateException("the bench job failed", result.getSerializedThrowable()
                    .map(t -> t.deserializeError(KafkaPipelineBench.class.getClassLoader())).orElse(null));
        }
        long wall = System.nanoTime() - t0;
        long cpu = processCpuNanos() - cpu0;

        long[] nal = readNal(kafka.bootstrapServers(), nalTopic);
        long n = (long) channels * frames;
        if (nal[0] != n) {
            throw new IllegalStateException("the NAL topic holds " + nal[0] + " committed records; expected " + n);
        }
        long bytesIn = n * PixelFormat.I420.frameSize(config.width(), config.height());
        double steadySeconds = Math.max(1, nal[3] - nal[2]) / 1000.0;
        long steadyFrames = n - 1;
        return new Side[] {new Side(n, wall / 1e9, cpu / 1e9, bytesIn, nal[1]),
            new Side(steadyFrames, steadySeconds, cpu / 1e9 * steadySeconds / (wall / 1e9),
                    bytesIn * steadyFrames / n, nal[1] * steadyFrames / n)};
    }

    /** Committed NAL records: count, value bytes, first and last produce time (ms). */
    private static long[] readNal(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(KafkaVideo.MAX_RECORD_BYTES));
        long count = 0;
        long bytes = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            var end = c.endOffsets(parts);
            Set<TopicPartition> done = new HashSet<>();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (done.size() < parts.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    count++;
                    bytes += r.value().length;
                    first = Math.min(first, r.timestamp());
                    last = Math.max(last, r.timestamp());
                }
                for (TopicPartition tp : parts) {
                    if (c.position(tp) >= end.get(tp)) {
                        done.add(tp);
                    }
                }
            }
        }
        return new long[] {count, bytes, first, last};
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
