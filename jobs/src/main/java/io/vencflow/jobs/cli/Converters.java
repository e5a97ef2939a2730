package io.vencflow.jobs.cli;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.Preset;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.codec.RateControlMode;
import io.vencflow.core.frame.PixelFormat;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsers for option values, each failing with the value and what was expected. */
public final class Converters {
    private Converters() {
    }

    /** A picture size. */
    public record Size(int width, int height) {
        @Override
        public String toString() {
            return width + "x" + height;
        }
    }

    /** {@code WxH}, e.g. 1280x720. */
    public static final class SizeConverter implements ITypeConverter<Size> {
        @Override
        public Size convert(String value) {
            String[] parts = value.trim().toLowerCase(Locale.ROOT).split("x");
            if (parts.length == 2) {
                try {
                    return new Size(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
                } catch (NumberFormatException e) {
                    // fall through
                }
            }
            throw new TypeConversionException("'" + value + "' is not a size; expected WIDTHxHEIGHT, e.g. 1280x720");
        }
    }

    /** Bits per second with an optional k or M suffix: 2000000, 2000k, 2M. */
    public static final class BitrateConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim();
            long scale = 1;
            char last = v.isEmpty() ? ' ' : Character.toLowerCase(v.charAt(v.length() - 1));
            if (last == 'k') {
                scale = 1_000;
            } else if (last == 'm') {
                scale = 1_000_000;
            }
            String digits = scale == 1 ? v : v.substring(0, v.length() - 1);
            try {
                double d = Double.parseDouble(digits);
                if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new NumberFormatException();
                }
                return Math.round(d * scale);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a bitrate; expected bits per second, e.g. "
                        + "2000000, 2000k or 2M (0: width*height*fps)");
            }
        }
    }

    /** A duration: 500ms, 2s, 5m, 24h, 7d (a bare number is seconds). */
    public static final class DurationConverter implements ITypeConverter<java.time.Duration> {
        @Override
        public java.time.Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.endsWith("ms")) {
                    return java.time.Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                char unit = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
                String digits = Character.isDigit(unit) ? v : v.substring(0, v.length() - 1);
                double n = Double.parseDouble(digits);
                double seconds = switch (unit) {
                    case 'd' -> n * 86_400;
                    case 'h' -> n * 3_600;
                    case 'm' -> n * 60;
                    case 's' -> n;
                    default -> {
                        if (!Character.isDigit(unit)) {
                            throw new NumberFormatException();
                        }
                        yield n;
                    }
                };
                if (seconds < 0 || Double.isNaN(seconds)) {
                    throw new NumberFormatException();
                }
                return java.time.Duration.ofMillis(Math.round(seconds * 1000));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a duration; expected e.g. 500ms, 2s, 5m, 24h or 7d");
            }
        }
    }

    /** A byte count: 1048576, 512k, 64M, 10G. */
    public static final class ByteSizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            long scale = 1;
            if (!v.isEmpty() && "kmg".indexOf(v.charAt(v.length() - 1)) >= 0) {
                scale = switch (v.charAt(v.length() - 1)) {
                    case 'k' -> 1L << 10;
                    case 'm' -> 1L << 20;
                    default -> 1L << 30;
                };
                v = v.substring(0, v.length() - 1);
            }
            try {
                double d = Double.parseDouble(v);
                if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new NumberFormatException();
                }
                return Math.round(d * scale);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a size; expected bytes, e.g. 1048576, 512k, 64M or 10G");
            }
        }
    }

    public static final class PixelFormatConverter implements ITypeConverter<PixelFormat> {
        @Override
        public PixelFormat convert(String value) {
            return wrap(() -> PixelFormat.parse(value));
        }
    }

    public static final class CodecConverter implements ITypeConverter<Codec> {
        @Override
        public Codec convert(String value) {
            return wrap(() -> Codec.parse(value));
        }
    }

    public static final class ProfileConverter implements ITypeConverter<Profile> {
        @Override
        public Profile convert(String value) {
            return wrap(() -> Profile.parse(value));
        }
    }

    public static final class BackendConverter implements ITypeConverter<Backend> {
        @Override
        public Backend convert(String value) {
            return wrap(() -> Backend.parse(value));
        }
    }

    public static final class RateControlConverter implements ITypeConverter<RateControlMode> {
        @Override
        public RateControlMode convert(String value) {
            return wrap(() -> RateControlMode.parse(value));
        }
    }

    public static final class PresetConverter implements ITypeConverter<Preset> {
        @Override
        public Preset convert(String value) {
            return wrap(() -> Preset.parse(value));
        }
    }

    private static <T> T wrap(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
