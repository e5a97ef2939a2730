package io.vencflow.connectors.rtsp;

import java.io.Serializable;

/**
 * Asks a channel's encoder for an IDR, so that a client that joins (or fell behind) starts decoding
 * soon instead of waiting for the next scheduled one. Typically {@code encoder::requestKeyframe}.
 *
 * <p>Called from a server thread, at most about once per second per channel: it must return at once
 * (set a flag, never block or encode). Serializable so that a Flink sink can carry one.
 */
@FunctionalInterface
public interface KeyframeRequester extends Serializable {
    void requestKeyframe(String channel);
}
