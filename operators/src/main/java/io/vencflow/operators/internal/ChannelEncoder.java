package io.vencflow.operators.internal;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.KeyframeRequests;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.Frame;
import io.vencflow.operators.ChannelConfigs;

/**
 * What lives beside a channel's keyed state in one subtask: its encoder (holding reference pictures,
 * which cannot go into state), its config and metrics, and its idle clock. The encoder is opened on
 * the channel's first frame, after every restore and after an idle close, so its first access unit
 * is always an IDR with parameter sets. Task thread only.
 */
final class ChannelEncoder implements AutoCloseable {
    final String channel;
    private final ChannelConfigs configs;
    /** Chosen by the first frame after the encoder was (re)opened; null before, or when none serves. */
    private EncoderConfig config;
    final EncoderMetrics metrics;
    private VideoEncoder encoder;
    long lastFrameMs;
    long idleTimerMs = GopState.NO_TIMER;

    ChannelEncoder(String channel, ChannelConfigs configs, EncoderMetrics metrics) {
        this.channel = channel;
        this.configs = configs;
        this.metrics = metrics;
    }

    /** Why {@code frame} cannot be encoded on this channel, or null when it can. */
    String mismatch(Frame frame) {
        if (encoder == null) {
            config = configs.configFor(channel, frame).orElse(null);
        }
        if (config == null) {
            return "frame #" + frame.sequence() + " of channel " + channel + ": no encoder config for channel " + channel
                    + " and no default config";
        }
        if (frame.width() != config.width() || frame.height() != config.height()) {
            return "frame #" + frame.sequence() + " of channel " + channel + " is " + frame.width() + "x" + frame.height()
                    + "; channel " + channel + " encodes " + config.width() + "x" + config.height();
        }
        if (frame.format() != config.inputFormat()) {
            return "frame #" + frame.sequence() + " of channel " + channel + " is " + frame.format() + "; channel "
                    + channel + " encodes " + config.inputFormat() + " input";
        }
        return null;
    }

    /**
     * Encodes a frame that matches the config, opening the encoder first when there is none; an IDR
     * when {@link KeyframeRequests} holds a request for the channel (a player joined downstream).
     */
    EncodedFrame encode(Frame frame) {
        if (encoder == null) {
            encoder = VideoEncoder.open(config);
            KeyframeRequests.take(channel); // a new encoder starts with an IDR anyway
        } else if (KeyframeRequests.take(channel)) {
            encoder.requestKeyframe();
        }
        return encoder.encode(frame);
    }

    boolean encoderOpen() {
        return encoder != null;
    }

    /** Closes the encoder; the next frame opens a new one (with the config that frame fits). */
    @Override
    public void close() {
        if (encoder != null) {
            VideoEncoder e = encoder;
            encoder = null;
            e.close();
        }
    }
}
