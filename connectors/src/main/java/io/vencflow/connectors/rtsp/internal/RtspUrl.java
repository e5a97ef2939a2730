package io.vencflow.connectors.rtsp.internal;

import io.vencflow.core.frame.ChannelId;
import java.util.Locale;

/**
 * What a request URL names on this server: {@code rtsp://host[:port]/<channel>} (the aggregate, for
 * DESCRIBE, PLAY, ...) or {@code rtsp://host[:port]/<channel>/<control>} (a stream: {@code trackID=0}
 * for players, whatever a publisher's SDP named for publishers). Host and port are not checked
 * (clients reach the server by many names); a query is ignored.
 *
 * @param channel the channel id
 * @param control the stream's control segment, or null for the aggregate
 */
public record RtspUrl(String channel, String control) {

    /** Whether the URL names the channel or its one played stream. */
    public boolean playable() {
        return control == null || control.equals(SdpWriter.TRACK_CONTROL);
    }


    /** Why a URL names nothing here: {@code notFound} when well-formed but unknown, else malformed. */
    public static final class BadUrlException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean notFound;

        BadUrlException(String message, boolean notFound) {
            super(message, null, false, false);
            this.notFound = notFound;
        }

        public boolean notFound() {
            return notFound;
        }
    }

    public static RtspUrl parse(String uri) throws BadUrlException {
        if (uri == null || uri.length() < 8 || !uri.substring(0, 7).toLowerCase(Locale.ROOT).equals("rtsp://")) {
            throw new BadUrlException("request URL " + abbreviate(uri) + " is not an rtsp:// URL", false);
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new BadUrlException("request URL " + abbreviate(uri) + " has a control, space or non-ASCII character", false);
            }
        }
        int pathStart = uri.indexOf('/', 7);
        if (pathStart < 0) {
            throw new BadUrlException("request URL " + abbreviate(uri) + " names no channel; expected rtsp://host:port/<channel>", true);
        }
        String path = uri.substring(pathStart + 1);
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.indexOf('%') >= 0) {
            throw new BadUrlException("request URL " + abbreviate(uri) + " is percent-encoded; channel ids never need it", false);
        }
        String[] segments = path.split("/", -1);
        if (segments.length > 2 || (segments.length == 2 && segments[1].isEmpty())) {
            throw new BadUrlException("request URL " + abbreviate(uri) + " names no stream here; expected /<channel> or /<channel>/"
                    + SdpWriter.TRACK_CONTROL, true);
        }
        String channel = segments[0];
        if (channel.isEmpty()) {
            throw new BadUrlException("request URL " + abbreviate(uri) + " names no channel; expected rtsp://host:port/<channel>", true);
        }
        if (!ChannelId.isValid(channel)) {
            throw new BadUrlException("channel id '" + abbreviate(channel)
                    + "' is not valid; expected 1-64 of [A-Za-z0-9._-], not . or ..", false);
        }
        return new RtspUrl(channel, segments.length == 2 ? segments[1] : null);
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "(none)";
        }
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }
}
