package io.vencflow.connectors.rtsp;

/**
 * A snapshot of one playing client of the embedded server.
 *
 * @param sessionId the RTSP session id
 * @param channel the channel it plays
 * @param transport {@code "tcp"} (interleaved) or {@code "udp"}
 * @param remoteAddress the client's address as host:port
 * @param playing whether it is between PLAY and PAUSE/TEARDOWN
 * @param queuedBytes bytes handed to its connection and not yet written to the socket
 * @param sentFrames frames whose last packet was written
 * @param droppedFrames frames skipped because the client could not keep up (it resumes at an IDR)
 */
public record RtspClientStats(String sessionId, String channel, String transport, String remoteAddress,
        boolean playing, long queuedBytes, long sentFrames, long droppedFrames) {
}
