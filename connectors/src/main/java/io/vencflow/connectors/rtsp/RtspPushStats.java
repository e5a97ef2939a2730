package io.vencflow.connectors.rtsp;

/**
 * A snapshot of one channel pushed by an {@link RtspPushClient}.
 *
 * @param channel the channel
 * @param url where it is pushed
 * @param recording whether a RECORD session is established now
 * @param connectAttempts TCP connections tried so far (first one included)
 * @param sessions RECORD sessions established so far (more than one means it reconnected)
 * @param sentFrames frames whose last packet was written to the socket
 * @param droppedFrames frames not sent: while (re)connecting, before the next IDR, or over the queue limit
 * @param queuedBytes bytes handed to the connection and not yet written
 */
public record RtspPushStats(String channel, String url, boolean recording, long connectAttempts, long sessions,
        long sentFrames, long droppedFrames, long queuedBytes) {
}
