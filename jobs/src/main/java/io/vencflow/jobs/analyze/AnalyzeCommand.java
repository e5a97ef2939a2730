package io.vencflow.jobs.analyze;

import io.vencflow.core.bitstream.AccessUnitAssembler;
import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.bitstream.SequenceParameterSet;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.frame.ChannelId;
import io.vencflow.jobs.cli.options.KafkaOptions;
import io.vencflow.jobs.internal.KafkaEndpoint;
import io.vencflow.jobs.internal.NalTopicReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vencflow analyze}: an analytics consumer of encoded streams. Reads a Kafka NAL topic
 * ({@code read_committed}) or Annex-B files / an archive folder, decodes every channel, and writes a
 * report folder with a bitrate plot and a keyframe contact sheet per channel; prints the table.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decode and measure encoded streams: per channel fps, bitrate over time, GOP length, keyframe",
            "interval, frame sizes and gaps; a report folder with PNG bitrate plots and keyframe contact sheets."})
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", description = "Kafka to read the NAL topic from")
    String bootstrapServers;

    @Option(names = "--topic", defaultValue = KafkaOptions.NAL_TOPIC,
            description = "NAL topic (default: ${DEFAULT-VALUE})")
    String topic;

    @Option(names = {"-i", "--input"},
            description = "Annex-B files (.264/.265/.h264/.h265) or an archive folder, instead of Kafka (repeatable)")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--out", defaultValue = "vencflow-report",
            description = "report folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--thumbnails", defaultValue = "20",
            description = "keyframes per channel on the contact sheet (default: ${DEFAULT-VALUE})")
    int thumbnails;

    @Override
    public Integer call() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        if (inputs.isEmpty() == (bootstrapServers == null)) {
            throw new IllegalArgumentException(inputs.isEmpty()
                    ? "give --bootstrap-servers (and --topic) to read a NAL topic, or --input files"
                    : "give either --input files or --bootstrap-servers, not both");
        }
        if (thumbnails < 0 || thumbnails > 500) {
            throw new IllegalArgumentException("--thumbnails " + thumbnails + " is out of range; expected 0..500");
        }
        try (StreamReport report = new StreamReport(thumbnails)) {
            String what;
            if (bootstrapServers != null) {
                try (KafkaEndpoint kafka = KafkaEndpoint.open(bootstrapServers, false, pw)) {
                    NalTopicReader.Result r = NalTopicReader.read(kafka.bootstrapServers(), topic, true, report::add);
                    what = r.records() + " records of " + topic + (r.malformed() > 0 ? ", " + r.malformed()
                            + " not access units" : "");
                }
            } else {
                int files = 0;
                for (Path p : inputs) {
                    for (Path f : files(p)) {
                        readFile(f, channelOf(p, f), report);
                        files++;
                    }
                }
                what = files + " files";
            }
            report.finish();
            if (report.channels().isEmpty()) {
                throw new IllegalArgumentException("no access units found in " + what);
            }
            List<Path> written = report.write(out);
            pw.print(report.table());
            pw.println("read " + what + "; " + written.size() + " files in " + out.toAbsolutePath());
            pw.flush();
        }
        return 0;
    }

    /** Segment files in name order (= time order in the archive), or the file itself. */
    private static List<Path> files(Path p) throws IOException {
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("--input " + p + " does not exist");
        }
        if (!Files.isDirectory(p)) {
            return List.of(p);
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).filter(f -> codecOf(f) != null)
                    .filter(f -> !f.toString().contains("/."))
                    .sorted().toList();
        }
    }

    /** An archive's channel folder names the channel; a lone file its own name. */
    private static String channelOf(Path input, Path file) {
        String name = Files.isDirectory(input) && !file.getParent().equals(input)
                ? file.getParent().getFileName().toString() : file.getFileName().toString().replaceAll("\\.[^.]*$", "");
        String id = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return ChannelId.isValid(id) ? id : "stream";
    }

    private static Codec codecOf(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".264") || n.endsWith(".h264") || n.endsWith(".avc")) {
            return Codec.H264;
        }
        if (n.endsWith(".265") || n.endsWith(".h265") || n.endsWith(".hevc")) {
            return Codec.H265;
        }
        return null;
    }

    private static void readFile(Path f, String channel, StreamReport report) throws IOException {
        Codec codec = codecOf(f);
        if (codec == null) {
            throw new IllegalArgumentException(f + ": expected a .264/.h264 or .265/.h265 Annex-B file");
        }
        byte[] stream = Files.readAllBytes(f);
        int width = 0;
        int height = 0;
        long seq = report.channel(channel) == null ? 0 : report.channel(channel).frames();
        long gop = 0;
        int position = 0;
        for (List<byte[]> au : AccessUnitAssembler.split(codec, stream)) {
            List<Pack> packs = new ArrayList<>(au.size());
            boolean key = false;
            for (byte[] nal : au) {
                Pack p = Pack.of(codec, nal);
                packs.add(p);
                key |= NalUnit.isRandomAccess(codec, p.nalType());
                if (p.nalType() == (codec == Codec.H264 ? NalUnit.H264_SPS : NalUnit.H265_SPS)) {
                    SequenceParameterSet sps = SequenceParameterSet.parse(codec, nal);
                    width = sps.width();
                    height = sps.height();
                }
            }
            if (width == 0) {
                continue; // nothing decodable before the first SPS
            }
            position = key ? 0 : position + 1;
            gop += key && seq > 0 ? 1 : 0;
            // Files carry no capture times: 30 fps is assumed for the time axis.
            report.add(new EncodedFrame(channel, seq, seq * 1_000_000L / 30, codec, width, height, key, gop, position,
                    packs));
            seq++;
        }
    }
}
