package io.vencflow.jobs.analyze;

import io.vencflow.core.codec.EncodedFrame;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * The analysis of a set of channels: feed access units of any channel in stream order, then write a
 * report folder (a summary table as text and CSV, a bitrate plot and a keyframe contact sheet per
 * channel, as PNG) and print the table. Not thread-safe.
 */
public final class StreamReport implements AutoCloseable {
    private final Map<String, ChannelStats> channels = new TreeMap<>();
    private final int thumbnailsPerChannel;

    public StreamReport(int thumbnailsPerChannel) {
        this.thumbnailsPerChannel = thumbnailsPerChannel;
    }

    public void add(EncodedFrame au) {
        channels.computeIfAbsent(au.channel(), ch -> new ChannelStats(ch, thumbnailsPerChannel)).add(au);
    }

    /** Drains every channel's decoder. */
    public void finish() {
        channels.values().forEach(ChannelStats::finish);
    }

    public Collection<ChannelStats> channels() {
        return channels.values();
    }

    public ChannelStats channel(String id) {
        return channels.get(id);
    }

    /** Writes summary.txt, summary.csv, {@code <channel>-bitrate.png} and {@code <channel>-keyframes.png}. */
    public List<Path> write(Path folder) throws IOException {
        Files.createDirectories(folder);
        List<Path> written = new ArrayList<>();
        Path txt = folder.resolve("summary.txt");
        Files.writeString(txt, table(), StandardCharsets.UTF_8);
        written.add(txt);
        Path csv = folder.resolve("summary.csv");
        Files.writeString(csv, csv(), StandardCharsets.UTF_8);
        written.add(csv);
        for (ChannelStats s : channels.values()) {
            Path plot = folder.resolve(s.channel() + "-bitrate.png");
            ImageIO.write(BitratePlot.render(s), "png", plot.toFile());
            written.add(plot);
            Path sheet = folder.resolve(s.channel() + "-keyframes.png");
            ImageIO.write(ContactSheet.render(s), "png", sheet.toFile());
            written.add(sheet);
        }
        return written;
    }

    /** The summary table, one line per channel. */
    public String table() {
        StringWriter out = new StringWriter();
        PrintWriter p = new PrintWriter(out);
        p.printf("%-16s %-5s %-9s %7s %7s %6s %7s %9s %9s %5s %12s %7s %9s %9s %5s%n", "channel", "codec", "size", "frames",
                "decoded", "errors", "fps", "kbit/s", "peak 1s", "keys", "gop min/avg/max", "keyint", "I bytes", "P bytes",
                "gaps");
        for (ChannelStats s : channels.values()) {
            List<Integer> gops = s.gopLengths();
            String gop = gops.isEmpty() ? "-" : gops.stream().mapToInt(Integer::intValue).min().getAsInt() + "/"
                    + String.format("%.1f", gops.stream().mapToInt(Integer::intValue).average().getAsDouble()) + "/"
                    + gops.stream().mapToInt(Integer::intValue).max().getAsInt();
            p.printf("%-16s %-5s %-9s %7d %7d %6d %7.2f %9.1f %9.1f %5d %12s %6.2fs %9.0f %9.0f %5d%n", s.channel(),
                    s.codec() == null ? "-" : s.codec().id(), s.width() + "x" + s.height(), s.frames(), s.decodedFrames(),
                    s.decodeErrors(), s.fps(), s.averageBitrateBps() / 1000, s.peakBitsPerSecond() / 1000.0, s.keyframes(),
                    gop, s.keyframeIntervalSeconds(), s.meanKeyframeBytes(), s.meanOtherFrameBytes(), s.gaps());
        }
        p.flush();
        return out.toString();
    }

    private String csv() {
        StringBuilder b = new StringBuilder("channel,codec,width,height,frames,decoded,decode_errors,fps,avg_bps,"
                + "peak_1s_bits,keyframes,keyframe_interval_s,min_frame_bytes,max_frame_bytes,mean_i_bytes,mean_p_bytes,"
                + "gaps,missing_frames,out_of_order\n");
        for (ChannelStats s : channels.values()) {
            b.append(String.join(",", s.channel(), s.codec() == null ? "" : s.codec().id(), Integer.toString(s.width()),
                    Integer.toString(s.height()), Long.toString(s.frames()), Long.toString(s.decodedFrames()),
                    Long.toString(s.decodeErrors()), String.format("%.3f", s.fps()),
                    String.format("%.0f", s.averageBitrateBps()), Long.toString(s.peakBitsPerSecond()),
                    Long.toString(s.keyframes()), String.format("%.3f", s.keyframeIntervalSeconds()),
                    Long.toString(s.minFrameBytes()), Long.toString(s.maxFrameBytes()),
                    String.format("%.0f", s.meanKeyframeBytes()), String.format("%.0f", s.meanOtherFrameBytes()),
                    Long.toString(s.gaps()), Long.toString(s.missingFrames()), Long.toString(s.outOfOrder())))
                    .append('\n');
        }
        return b.toString();
    }

    @Override
    public void close() {
        finish();
    }
}
