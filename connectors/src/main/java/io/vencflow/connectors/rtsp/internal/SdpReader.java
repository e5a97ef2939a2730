package io.vencflow.connectors.rtsp.internal;

import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.Pack;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Reads what the relay needs from a publisher's SDP (ANNOUNCE): the video stream's codec, payload
 * type, control and parameter sets from {@code sprop-*}. Only the first video stream counts.
 *
 * @param codec H.264 or H.265
 * @param payloadType the RTP payload type the publisher will use
 * @param control the stream's control attribute (what it SETUPs), or null
 * @param parameterSets the NAL units of the {@code sprop-*} parameters, possibly none
 */
public record SdpReader(Codec codec, int payloadType, String control, List<Pack> parameterSets) {

    /** Why an SDP cannot be relayed. */
    public static final class UnsupportedSdpException extends Exception {
        private static final long serialVersionUID = 1L;

        UnsupportedSdpException(String message) {
            super(message, null, false, false);
        }
    }

    public static SdpReader parse(String sdp) throws UnsupportedSdpException {
        boolean inVideo = false;
        boolean seenVideo = false;
        int payloadType = -1;
        Codec codec = null;
        String control = null;
        String fmtp = null;
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.trim();
            if (line.startsWith("m=")) {
                if (seenVideo) {
                    break;
                }
                inVideo = line.startsWith("m=video ");
                if (inVideo) {
                    seenVideo = true;
                    String[] f = line.split(" ");
                    if (f.length < 4 || !f[2].toUpperCase(Locale.ROOT).startsWith("RTP/AVP")) {
                        throw new UnsupportedSdpException("video stream '" + line + "' is not RTP/AVP");
                    }
                    payloadType = number(f[3]);
                }
                continue;
            }
            if (!inVideo) {
                continue;
            }
            if (line.startsWith("a=rtpmap:")) {
                String[] f = line.substring(9).split("[ /]");
                if (f.length >= 2 && number(f[0]) == payloadType) {
                    codec = switch (f[1].toUpperCase(Locale.ROOT)) {
                        case "H264" -> Codec.H264;
                        case "H265" -> Codec.H265;
                        default -> throw new UnsupportedSdpException("video encoding " + f[1] + " is not supported; expected H264 or H265");
                    };
                }
            } else if (line.startsWith("a=fmtp:")) {
                int space = line.indexOf(' ');
                if (space > 0 && number(line.substring(7, space)) == payloadType) {
                    fmtp = line.substring(space + 1);
                }
            } else if (line.startsWith("a=control:")) {
                control = line.substring(10).trim();
            }
        }
        if (!seenVideo || codec == null) {
            throw new UnsupportedSdpException("SDP has no H264 or H265 video stream with an rtpmap");
        }
        return new SdpReader(codec, payloadType, control, parameterSets(codec, fmtp));
    }

    private static List<Pack> parameterSets(Codec codec, String fmtp) throws UnsupportedSdpException {
        List<Pack> out = new ArrayList<>();
        if (fmtp == null) {
            return out;
        }
        for (String kv : fmtp.split(";")) {
            int eq = kv.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = kv.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = kv.substring(eq + 1).trim();
            boolean wanted = codec == Codec.H264 ? name.equals("sprop-parameter-sets")
                    : name.equals("sprop-vps") || name.equals("sprop-sps") || name.equals("sprop-pps");
            if (!wanted) {
                continue;
            }
            for (String b64 : value.split(",")) {
                if (b64.isEmpty()) {
                    continue;
                }
                try {
                    byte[] nal = Base64.getDecoder().decode(b64);
                    out.add(Pack.of(codec, nal));
                } catch (IllegalArgumentException e) {
                    throw new UnsupportedSdpException(name + " value '" + b64 + "' is not a base64 NAL unit");
                }
            }
        }
        return out;
    }

    private static int number(String s) throws UnsupportedSdpException {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new UnsupportedSdpException("'" + s + "' is not a payload type number");
        }
    }
}
