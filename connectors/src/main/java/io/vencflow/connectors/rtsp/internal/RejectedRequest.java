package io.vencflow.connectors.rtsp.internal;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the connection's first handler refused before it was parsed (too large, too slow, not
 * RTSP): the status to answer with. The connection is closed after the answer, since the byte stream
 * can no longer be trusted to hold whole requests.
 */
public record RejectedRequest(HttpResponseStatus status, String reason) {
}
