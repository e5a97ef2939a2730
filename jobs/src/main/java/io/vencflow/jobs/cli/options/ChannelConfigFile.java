package io.vencflow.jobs.cli.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Preset;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.codec.RateControlMode;
import io.vencflow.core.frame.ChannelId;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.jobs.cli.Converters;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Per-channel encoder overrides from a file, on top of the command line's encoder flags.
 *
 * <p>YAML ({@code .yaml}/{@code .yml}):
 * <pre>
 * defaults:            # every channel
 *   bitrate: 2M
 * channels:
 *   cam0: {codec: h265, gop: 60}
 *   door: {size: 1280x720, pix-fmt: nv12}
 * </pre>
 * Properties: {@code bitrate=2M} for every channel, {@code channel.cam0.codec=h265} for one. Keys are
 * the encoder flags without dashes in front: {@value #KEYS}.
 */
public final class ChannelConfigFile {
    static final String KEYS = "codec, profile, backend, preset, gop, bitrate, rc, filler, aq, qp, qp-min, qp-max, threads, "
            + "size, fps, pix-fmt";

    private final Map<String, String> defaults;
    private final Map<String, Map<String, String>> channels;

    private ChannelConfigFile(Map<String, String> defaults, Map<String, Map<String, String>> channels) {
        this.defaults = defaults;
        this.channels = channels;
    }

    /** Reads a .yaml/.yml or .properties file; errors name the file, the entry and what was expected. */
    public static ChannelConfigFile read(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return readYaml(file);
        }
        if (name.endsWith(".properties")) {
            return readProperties(file);
        }
        throw new IllegalArgumentException("--config " + file + ": expected a .yaml, .yml or .properties file");
    }

    private static ChannelConfigFile readYaml(Path file) throws IOException {
        JsonNode root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new ObjectMapper(new YAMLFactory()).readTree(r);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid YAML: " + e.getOriginalMessage());
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        Map<String, Map<String, String>> channels = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new ChannelConfigFile(defaults, channels);
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a mapping with 'defaults' and 'channels'");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "defaults" -> defaults.putAll(settings(file, "defaults", e.getValue()));
                case "channels" -> {
                    if (!e.getValue().isObject()) {
                        throw new IllegalArgumentException(file + ": 'channels' must map channel ids to settings");
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> ch = e.getValue().fields(); ch.hasNext();) {
                        Map.Entry<String, JsonNode> c = ch.next();
                        channels.put(checkChannel(file, c.getKey()), settings(file, "channels." + c.getKey(), c.getValue()));
                    }
                }
                default -> throw new IllegalArgumentException(file + ": unknown top-level key '" + e.getKey()
                        + "'; expected defaults and channels");
            }
        }
        return new ChannelConfigFile(defaults, channels);
    }

    private static Map<String, String> settings(Path file, String where, JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(file + ": '" + where + "' must be a mapping of settings (" + KEYS + ")");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isContainerNode()) {
                throw new IllegalArgumentException(file + ": " + where + "." + e.getKey() + " must be a single value");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static ChannelConfigFile readProperties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        Map<String, Map<String, String>> channels = new LinkedHashMap<>();
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            String value = p.getProperty(key).trim();
            if (key.startsWith("channel.")) {
                int dot = key.indexOf('.', "channel.".length());
                if (dot < 0) {
                    throw new IllegalArgumentException(file + ": '" + key + "' should be channel.<id>.<setting>");
                }
                String channel = checkChannel(file, key.substring("channel.".length(), dot));
                channels.computeIfAbsent(channel, c -> new LinkedHashMap<>()).put(key.substring(dot + 1), value);
            } else {
                defaults.put(key, value);
            }
        }
        return new ChannelConfigFile(defaults, channels);
    }

    private static String checkChannel(Path file, String id) {
        try {
            return ChannelId.check(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** The file's defaults applied on top of {@code base}. */
    public EncoderConfig defaults(EncoderConfig base) {
        return apply(base, defaults, "defaults");
    }

    /** Each listed channel's config: {@link #defaults} plus its own settings. */
    public Map<String, EncoderConfig> channels(EncoderConfig base) {
        EncoderConfig d = defaults(base);
        Map<String, EncoderConfig> out = new LinkedHashMap<>();
        channels.forEach((ch, settings) -> out.put(ch, apply(d, settings, "channel " + ch)));
        return out;
    }

    /** The channels the file lists. */
    public List<String> channelIds() {
        return List.copyOf(channels.keySet());
    }

    private static EncoderConfig apply(EncoderConfig base, Map<String, String> settings, String where) {
        EncoderConfig.Builder b = base.toBuilder();
        Codec codec = base.codec();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            String v = e.getValue();
            try {
                switch (key) {
                    case "codec" -> {
                        codec = Codec.parse(v);
                        b.codec(codec);
                    }
                    case "profile" -> b.profile(Profile.parse(v));
                    case "backend" -> b.backend(Backend.parse(v));
                    case "preset" -> b.preset(Preset.parse(v));
                    case "gop" -> b.gop(Integer.parseInt(v));
                    case "bitrate" -> b.bitrateBps(new Converters.BitrateConverter().convert(v));
                    case "rc" -> b.rateControl(RateControlMode.parse(v));
                    case "filler" -> b.fillerData(switch (v) {
                        case "true" -> true;
                        case "false" -> false;
                        default -> throw new IllegalArgumentException("filler '" + v + "' is not true or false");
                    });
                    case "aq" -> b.aqStrength(aqStrength(v));
                    case "qp" -> b.qp(Integer.parseInt(v));
                    case "qp-min" -> b.qpRange(Integer.parseInt(v), base.qpMax());
                    case "qp-max" -> b.qpRange(base.qpMin(), Integer.parseInt(v));
                    case "threads" -> b.threads(Integer.parseInt(v));
                    case "size" -> {
                        Converters.Size s = new Converters.SizeConverter().convert(v);
                        b.size(s.width(), s.height());
                    }
                    case "fps" -> b.fps(Integer.parseInt(v));
                    case "pix-fmt" -> b.inputFormat(PixelFormat.parse(v));
                    default -> throw new IllegalArgumentException("unknown setting '" + key + "'; expected one of " + KEYS);
                }
            } catch (NumberFormatException e2) {
                throw new IllegalArgumentException(where + ": " + key + " '" + v + "' is not a whole number");
            } catch (IllegalArgumentException e2) {
                throw new IllegalArgumentException(where + ": " + e2.getMessage());
            }
        }
        if (codec != base.codec() && !settings.containsKey("profile")) {
            // Another codec without a profile named takes that codec's default profile.
            b.profile(null);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    /** An aq strength: a decimal number (the range is EncoderConfig's to check). */
    private static double aqStrength(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("aq '" + v + "' is not a number; expected 0 (off) to 3");
        }
    }
}
