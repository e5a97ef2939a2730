package io.vencflow.jobs.cli.options;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Preset;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.codec.RateControlMode;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.jobs.cli.Converters;
import picocli.CommandLine.Option;

/** The encoder flags every command that encodes shares: one vocabulary across commands. */
public final class EncoderOptions {
    @Option(names = "--codec", converter = Converters.CodecConverter.class, defaultValue = "h264",
            description = "h264 or h265 (default: ${DEFAULT-VALUE})")
    public Codec codec;

    @Option(names = "--profile", converter = Converters.ProfileConverter.class,
            description = "baseline, main or high (default: baseline for h264, main for h265)")
    public Profile profile;

    @Option(names = "--backend", converter = Converters.BackendConverter.class, defaultValue = "auto",
            description = "auto, ffmpeg, jcodec or java (default: ${DEFAULT-VALUE}: ffmpeg where its natives load)")
    public Backend backend;

    @Option(names = "--preset", converter = Converters.PresetConverter.class, defaultValue = "veryfast",
            description = "ultrafast, superfast, veryfast, faster, fast or medium (ffmpeg backend; default: ${DEFAULT-VALUE})")
    public Preset preset;

    @Option(names = "--gop", defaultValue = "0",
            description = "frames from one IDR to the next; 0 = one second (default: ${DEFAULT-VALUE})")
    public int gop;

    @Option(names = "--bitrate", converter = Converters.BitrateConverter.class, defaultValue = "0",
            description = "target (cbr) or cap (vbr) in bit/s, k and M suffixes allowed; 0 = width*height*fps "
                    + "(default: ${DEFAULT-VALUE})")
    public long bitrateBps;

    @Option(names = "--rc", converter = Converters.RateControlConverter.class, defaultValue = "cbr",
            description = "rate control: cbr, vbr or cqp (default: ${DEFAULT-VALUE})")
    public RateControlMode rateControl;

    @Option(names = "--filler",
            description = "strict CBR (h264, --rc cbr): pad the stream to the rate with filler data, as its "
                    + "constant-rate HRD declares (default: off: a cheap scene costs less)")
    public boolean fillerData;

    @Option(names = "--aq", defaultValue = "0",
            description = "adaptive quantization strength, 0 (off) to 3: finer QPs where the picture is flat, coarser "
                    + "where it is busy (java; x264/x265 variance AQ on ffmpeg, whose default applies at 0, off at a "
                    + "constant QP in x264) "
                    + "(default: ${DEFAULT-VALUE})")
    public double aqStrength;

    @Option(names = "--qp", defaultValue = "26",
            description = "QP under --rc cqp (default: ${DEFAULT-VALUE})")
    public int qp;

    @Option(names = "--qp-min", defaultValue = "10",
            description = "lowest QP (default: ${DEFAULT-VALUE})")
    public int qpMin;

    @Option(names = "--qp-max", defaultValue = "51",
            description = "highest QP (default: ${DEFAULT-VALUE})")
    public int qpMax;

    @Option(names = "--threads", defaultValue = "1",
            description = "threads per encoder; 0 = every core (default: ${DEFAULT-VALUE}; in a job parallelism comes "
                    + "from channels)")
    public int threads;

    /** The config for frames of this size, rate and format; validation errors name the flag's value. */
    public EncoderConfig toConfig(int width, int height, int fps, PixelFormat inputFormat) {
        return EncoderConfig.builder().codec(codec).profile(profile).backend(backend).preset(preset).size(width, height)
                .fps(fps).gop(gop).bitrateBps(bitrateBps).rateControl(rateControl).qp(qp).qpRange(qpMin, qpMax)
                .threads(threads).inputFormat(inputFormat).fillerData(fillerData)
                .aqStrength(aqStrength).build();
    }
}
