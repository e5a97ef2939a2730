package io.vencflow.jobs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * The benchmark programs of the other modules, runnable from vencflow.jar (where Flink's runtime is
 * on the class path only through {@code java -jar}). Each passes its arguments on unchanged.
 */
final class BenchPrograms {
    private BenchPrograms() {
    }

    /** The same frames through a bare encoder loop and through the Flink job with the keyed operator. */
    @Command(name = "pipeline", description = {"Bare encoder loop vs the Flink job with the keyed encoder, same frames",
        "and backend (io.vencflow.operators.bench.PipelineBench): --channels --size --frames --rounds --warmup --qp --gop "
            + "--backend --segment-size (--help for the defaults)"})
    static final class Pipeline implements Callable<Integer> {
        @Unmatched
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            io.vencflow.operators.bench.PipelineBench.main(args.toArray(new String[0]));
            return 0;
        }
    }

    /** Kafka frames -> encoder -> Kafka NAL beside the encoder alone. */
    @Command(name = "kafka", description = {"Kafka frames -> encoder -> Kafka NAL beside the encoder alone",
        "(io.vencflow.connectors.bench.KafkaPipelineBench): [channels] [WxH] [frames] [h264|h265] [rounds]"})
    static final class Kafka implements Callable<Integer> {
        @Unmatched
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            io.vencflow.connectors.bench.KafkaPipelineBench.main(args.toArray(new String[0]));
            return 0;
        }
    }

    /** Capture time to the last RTP packet of each frame leaving the server. */
    @Command(name = "rtsp-latency", description = {"Capture time to the last RTP packet leaving the RTSP server, p50/p99",
        "(io.vencflow.connectors.rtsp.bench.RtspLatencyBench): --codec h264|h265 --seconds S ..."})
    static final class RtspLatency implements Callable<Integer> {
        @Unmatched
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            io.vencflow.connectors.rtsp.bench.RtspLatencyBench.main(args.toArray(new String[0]));
            return 0;
        }
    }
}
