package io.vencflow.connectors.rtsp.internal;

import io.vencflow.core.bitstream.SequenceParameterSet;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.Pack;
import java.util.Base64;

/**
 * Writes the session description (RFC 4566) of one channel: one video stream, payload type 96, with
 * the format parameters of RFC 6184 (H.264: packetization-mode, profile-level-id,
 * sprop-parameter-sets) or RFC 7798 (H.265: profile-id, tier-flag, level-id, sprop-vps/sps/pps).
 * The stream's control URL is {@value #TRACK_CONTROL}, relative to the channel URL.
 */
public final class SdpWriter {
    /** The media-level control attribute: players SETUP {@code rtsp://host:port/<channel>/trackID=0}. */
    public static final String TRACK_CONTROL = "trackID=0";

    private SdpWriter() {
    }

    /**
     * The SDP of {@code channel}.
     *
     * @param originAddress the server's address as the client reached it (the {@code o=} line)
     * @param sessionVersion changes when the parameter sets do (the {@code o=} version)
     */
    public static String write(String channel, ParameterSets parameterSets, String originAddress, long sessionId,
            long sessionVersion) {
        if (!parameterSets.complete()) {
            throw new IllegalArgumentException("channel " + channel + " has no complete " + parameterSets.codec()
                    + " parameter sets yet; an SDP needs them");
        }
        String addrType = originAddress.contains(":") ? "IP6" : "IP4";
        StringBuilder sdp = new StringBuilder(512);
        line(sdp, "v=0");
        line(sdp, "o=- " + sessionId + " " + sessionVersion + " IN " + addrType + " " + originAddress);
        line(sdp, "s=" + channel);
        line(sdp, "c=IN " + addrType + " " + (addrType.equals("IP6") ? "::" : "0.0.0.0"));
        line(sdp, "t=0 0");
        line(sdp, "a=tool:vencflow");
        line(sdp, "a=control:*");
        line(sdp, "m=video 0 RTP/AVP " + RtpStream.PAYLOAD_TYPE);
        if (parameterSets.codec() == Codec.H264) {
            line(sdp, "a=rtpmap:" + RtpStream.PAYLOAD_TYPE + " H264/" + RtpClock.VIDEO_CLOCK_RATE);
            line(sdp, "a=fmtp:" + RtpStream.PAYLOAD_TYPE + " " + h264FormatParameters(parameterSets));
        } else {
            line(sdp, "a=rtpmap:" + RtpStream.PAYLOAD_TYPE + " H265/" + RtpClock.VIDEO_CLOCK_RATE);
            line(sdp, "a=fmtp:" + RtpStream.PAYLOAD_TYPE + " " + h265FormatParameters(parameterSets));
        }
        line(sdp, "a=control:" + TRACK_CONTROL);
        return sdp.toString();
    }

    /** RFC 6184 8.1: mode 1, profile_idc/constraints/level_idc of the SPS, base64 SPS and PPS. */
    static String h264FormatParameters(ParameterSets ps) {
        SequenceParameterSet sps = ps.parsedSps();
        return "packetization-mode=1;profile-level-id=" + sps.profileLevelId() + ";sprop-parameter-sets="
                + base64(ps.sps()) + "," + base64(ps.pps());
    }

    /** RFC 7798 7.1: general profile, tier and level of the SPS, base64 VPS, SPS and PPS. */
    static String h265FormatParameters(ParameterSets ps) {
        SequenceParameterSet sps = ps.parsedSps();
        return "profile-id=" + sps.profileIdc() + ";tier-flag=" + sps.constraintFlags() + ";level-id="
                + sps.levelIdc() + ";sprop-vps=" + base64(ps.vps()) + ";sprop-sps=" + base64(ps.sps())
                + ";sprop-pps=" + base64(ps.pps());
    }

    private static String base64(Pack pack) {
        return Base64.getEncoder().encodeToString(pack.toByteArray());
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append("\r\n");
    }
}
