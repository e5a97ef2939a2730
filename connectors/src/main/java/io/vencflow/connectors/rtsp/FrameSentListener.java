package io.vencflow.connectors.rtsp;

/**
 * Told when the last RTP packet of a frame has been written to a client's socket: what a latency
 * measurement needs (capture time to leaving the server).
 *
 * <p>Called on a network thread for every frame and client: it must be cheap and never block.
 */
@FunctionalInterface
public interface FrameSentListener {
    /**
     * @param channel the channel
     * @param sessionId the client's RTSP session
     * @param ptsMicros the frame's capture time, microseconds since the Unix epoch
     * @param sentMicros when its last packet was written, microseconds since the Unix epoch
     */
    void frameSent(String channel, String sessionId, long ptsMicros, long sentMicros);
}
