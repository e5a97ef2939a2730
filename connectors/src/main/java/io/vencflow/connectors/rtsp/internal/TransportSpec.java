package io.vencflow.connectors.rtsp.internal;

import java.util.Locale;

/**
 * One transport a client offers in a SETUP's Transport header (RFC 2326 12.39), as far as this server
 * understands it: RTP/AVP over TCP (interleaved) or unicast UDP, for play or record.
 *
 * @param tcp lower transport TCP (interleaved) rather than UDP
 * @param interleavedRtp interleaved RTP channel, or -1 when the client leaves it to the server
 * @param interleavedRtcp interleaved RTCP channel, or -1
 * @param clientRtpPort the client's UDP RTP port, or -1
 * @param clientRtcpPort the client's UDP RTCP port, or -1
 * @param record {@code mode=record} (the client publishes)
 */
public record TransportSpec(boolean tcp, int interleavedRtp, int interleavedRtcp, int clientRtpPort,
        int clientRtcpPort, boolean record) {

    /** Why no offered transport is acceptable. */
    public static final class UnsupportedTransportException extends Exception {
        private static final long serialVersionUID = 1L;

        UnsupportedTransportException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The first offered transport this server supports, from a whole Transport header (alternatives
     * separated by commas, in the client's order of preference).
     */
    public static TransportSpec choose(String header) throws UnsupportedTransportException {
        if (header == null || header.isBlank()) {
            throw new UnsupportedTransportException("SETUP has no Transport header");
        }
        String why = null;
        for (String alternative : header.split(",")) {
            try {
                return parse(alternative.trim());
            } catch (UnsupportedTransportException e) {
                if (why == null) {
                    why = e.getMessage();
                }
            }
        }
        throw new UnsupportedTransportException(why);
    }

    static TransportSpec parse(String spec) throws UnsupportedTransportException {
        String[] parts = spec.split(";");
        String protocol = parts[0].trim().toUpperCase(Locale.ROOT);
        boolean tcp;
        switch (protocol) {
            case "RTP/AVP", "RTP/AVP/UDP" -> tcp = false;
            case "RTP/AVP/TCP" -> tcp = true;
            default -> throw new UnsupportedTransportException("transport " + parts[0].trim()
                    + " is not supported; expected RTP/AVP/TCP (interleaved) or RTP/AVP[/UDP] (unicast)");
        }
        int[] interleaved = null;
        int[] clientPorts = null;
        boolean record = false;
        boolean unicast = true;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            String name = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : p.substring(eq + 1).trim();
            switch (name) {
                case "unicast" -> unicast = true;
                case "multicast" -> unicast = false;
                case "interleaved" -> interleaved = range(name, value, 0, 255);
                case "client_port" -> clientPorts = range(name, value, 1, 65535);
                case "mode" -> {
                    String mode = unquote(value).toLowerCase(Locale.ROOT);
                    if (mode.equals("record") || mode.equals("receive")) {
                        record = true;
                    } else if (!mode.equals("play")) {
                        throw new UnsupportedTransportException("transport mode " + value + " is not supported; expected PLAY or RECORD");
                    }
                }
                case "destination", "source" -> throw new UnsupportedTransportException(
                        "transport parameter " + name + " is not accepted: media only goes to the requesting client");
                case "ssrc", "ttl", "layers", "append", "port", "" -> {
                    // harmless for unicast; the server picks its own SSRC
                }
                default -> {
                    // RFC 2326 12.39: unknown parameters are ignored
                }
            }
        }
        if (!unicast) {
            throw new UnsupportedTransportException("multicast is not supported; expected unicast");
        }
        if (tcp) {
            if (clientPorts != null) {
                throw new UnsupportedTransportException("client_port with RTP/AVP/TCP; expected interleaved=");
            }
            return new TransportSpec(true, interleaved == null ? -1 : interleaved[0], interleaved == null ? -1 : interleaved[1],
                    -1, -1, record);
        }
        if (clientPorts == null) {
            throw new UnsupportedTransportException("unicast UDP needs client_port=RTP-RTCP");
        }
        if (interleaved != null) {
            throw new UnsupportedTransportException("interleaved= with UDP; expected client_port=");
        }
        return new TransportSpec(false, -1, -1, clientPorts[0], clientPorts[1], record);
    }

    /** {@code n} or {@code n-m} within [min, max]; a single value pairs with the next one. */
    private static int[] range(String name, String value, int min, int max) throws UnsupportedTransportException {
        if (value == null || value.isEmpty()) {
            throw new UnsupportedTransportException(name + " has no value");
        }
        String[] ends = value.split("-", -1);
        if (ends.length > 2) {
            throw new UnsupportedTransportException(name + "=" + value + " is not n or n-m");
        }
        int a = number(name, ends[0], min, max);
        int b = ends.length == 2 ? number(name, ends[1], min, max) : a + 1;
        if (b > max) {
            throw new UnsupportedTransportException(name + "=" + value + " leaves no room for the RTCP " + name
                    + " (at most " + max + ")");
        }
        if (b == a) {
            throw new UnsupportedTransportException(name + "=" + value + " uses one value for RTP and RTCP");
        }
        return new int[] {a, b};
    }

    private static int number(String name, String text, int min, int max) throws UnsupportedTransportException {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new UnsupportedTransportException(name + " value '" + text + "' is not a number");
        }
        int v = Integer.parseInt(text);
        if (v < min || v > max) {
            throw new UnsupportedTransportException(name + " value " + v + " is out of range " + min + ".." + max);
        }
        return v;
    }

    private static String unquote(String value) {
        if (value == null) {
            return "";
        }
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    /** The Transport header value answering this spec with the server's choices. */
    public static String answerTcp(int rtp, int rtcp, int ssrc) {
        return "RTP/AVP/TCP;unicast;interleaved=" + rtp + "-" + rtcp + ";ssrc=" + hex(ssrc);
    }

    /** The Transport header value answering a publisher's record SETUP. */
    public static String answerRecord(int rtp, int rtcp) {
        return "RTP/AVP/TCP;unicast;interleaved=" + rtp + "-" + rtcp + ";mode=record";
    }

    public static String answerUdp(int clientRtp, int clientRtcp, int serverRtp, int serverRtcp, int ssrc) {
        return "RTP/AVP;unicast;client_port=" + clientRtp + "-" + clientRtcp + ";server_port=" + serverRtp + "-"
                + serverRtcp + ";ssrc=" + hex(ssrc);
    }

    private static String hex(int ssrc) {
        return String.format("%08X", ssrc);
    }
}
