package io.vencflow.operators;

import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.frame.ChannelId;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which {@link EncoderConfig} encodes which channel: a config per listed channel, and a default for
 * every channel not listed. Without a default, frames of unlisted channels are rejected (they come
 * out on {@link VideoEncoding#REJECTED_FRAMES}), never encoded with a guess.
 *
 * <p>A config fixes a channel's size and input pixel format; frames that do not match are rejected
 * the same way. Immutable and serializable (it travels in the job graph).
 */
public final class ChannelConfigs implements Serializable {
    private static final long serialVersionUID = 1L;

    private final EncoderConfig defaultConfig;
    private final Map<String, EncoderConfig> channels;
    private final boolean fitFrames;

    private ChannelConfigs(EncoderConfig defaultConfig, Map<String, EncoderConfig> channels, boolean fitFrames) {
        this.defaultConfig = defaultConfig;
        this.channels = channels;
        this.fitFrames = fitFrames;
    }

    /** Every channel encoded with {@code config}. */
    public static ChannelConfigs of(EncoderConfig config) {
        return builder().defaultConfig(config).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The config of {@code channel}: its own, else the default, else empty. */
    public Optional<EncoderConfig> configFor(String channel) {
        EncoderConfig c = channels.get(channel);
        return Optional.ofNullable(c != null ? c : defaultConfig);
    }

    /**
     * The config of {@code channel} whose first frame (first after a restore or an idle close) is
     * {@code first}: its own, else the default, else empty; when the configs were built with
     * {@link Builder#fitFrames()}, with the frame's size and pixel format.
     */
    public Optional<EncoderConfig> configFor(String channel, io.vencflow.core.frame.Frame first) {
        EncoderConfig c = channels.getOrDefault(channel, defaultConfig);
        if (c == null || !fitFrames || (first.width() == c.width() && first.height() == c.height()
                && first.format() == c.inputFormat())) {
            return Optional.ofNullable(c);
        }
        return Optional.of(c.toBuilder().size(first.width(), first.height()).inputFormat(first.format()).build());
    }

    /** Whether every channel takes its size and pixel format from its first frame. */
    public boolean fitFrames() {
        return fitFrames;
    }

    public Optional<EncoderConfig> defaultConfig() {
        return Optional.ofNullable(defaultConfig);
    }

    /** The listed channels and their configs, in the order they were added. */
    public Map<String, EncoderConfig> channels() {
        return channels;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelConfigs c && Objects.equals(c.defaultConfig, defaultConfig)
                && c.channels.equals(channels) && c.fitFrames == fitFrames;
    }

    @Override
    public int hashCode() {
        return Objects.hash(defaultConfig, channels, fitFrames);
    }

    @Override
    public String toString() {
        return "ChannelConfigs[default=" + defaultConfig + (fitFrames ? " (sizes and formats from the frames)" : "")
                + ", channels=" + channels + "]";
    }

    /** Collects configs; {@link #build()} checks them. */
    public static final class Builder {
        private EncoderConfig defaultConfig;
        private boolean fitFrames;
        private final List<Map.Entry<String, EncoderConfig>> channels = new ArrayList<>();

        private Builder() {
        }

        /** The config of every channel not listed with {@link #channel}. */
        public Builder defaultConfig(EncoderConfig config) {
            this.defaultConfig = config;
            return this;
        }

        /**
         * Lets the configs fit each channel's frames: a channel encodes at the size and pixel format of
         * its first frame (first after a restore or an idle close), with every other setting from its
         * config. For topics and sources whose cameras differ in size; later frames of another size
         * are still rejected.
         */
        public Builder fitFrames() {
            this.fitFrames = true;
            return this;
        }

        /** The config of one channel. */
        public Builder channel(String channel, EncoderConfig config) {
            channels.add(new java.util.AbstractMap.SimpleImmutableEntry<>(channel, config));
            return this;
        }

        /**
         * @throws IllegalArgumentException for an invalid channel id, a channel listed twice, a channel
         *     without a config, or no config at all
         */
        public ChannelConfigs build() {
            Map<String, EncoderConfig> map = new LinkedHashMap<>();
            for (Map.Entry<String, EncoderConfig> e : channels) {
                String id = ChannelId.check(e.getKey());
                if (e.getValue() == null) {
                    throw new IllegalArgumentException("channel " + id + " has a null config; give it an EncoderConfig");
                }
                if (map.putIfAbsent(id, e.getValue()) != null) {
                    throw new IllegalArgumentException("channel " + id + " is listed twice; give each channel one config");
                }
            }
            if (defaultConfig == null && map.isEmpty()) {
                throw new IllegalArgumentException("no encoder config: set a default config or at least one channel's");
            }
            return new ChannelConfigs(defaultConfig, Collections.unmodifiableMap(map), fitFrames);
        }
    }
}
