package io.vencflow.connectors.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TransportSpecTest {

    @Test
    void theFirstSupportedAlternativeWinsInTheClientsOrder() throws Exception {
        TransportSpec t = TransportSpec.choose(
                "RTP/AVP;multicast;port=5000-5001, RTP/AVP/TCP;unicast;interleaved=4-5, RTP/AVP;unicast;client_port=6000-6001");
        assertTrue(t.tcp());
        assertEquals(4, t.interleavedRtp());
        assertEquals(5, t.interleavedRtcp());
        assertFalse(t.record());
    }

    @Test
    void udpTakesTheClientPortPairAndASinglePortPairsWithTheNext() throws Exception {
        TransportSpec t = TransportSpec.choose("RTP/AVP/UDP;unicast;client_port=50000");
        assertFalse(t.tcp());
        assertEquals(50000, t.clientRtpPort());
        assertEquals(50001, t.clientRtcpPort());
    }

    @Test
    void recordModeIsReadQuotedOrNotAndInterleavedMayBeLeftToTheServer() throws Exception {
        TransportSpec t = TransportSpec.choose("RTP/AVP/TCP;unicast;mode=\"RECORD\"");
        assertTrue(t.record());
        assertEquals(-1, t.interleavedRtp());
    }

    @Test
    void refusalsSayWhatWasWrong() {
        TransportSpec.UnsupportedTransportException e = assertThrows(TransportSpec.UnsupportedTransportException.class,
                () -> TransportSpec.choose("RTP/AVP;unicast;client_port=65535"));
        assertTrue(e.getMessage().contains("no room for the RTCP"), e.getMessage());
        e = assertThrows(TransportSpec.UnsupportedTransportException.class,
                () -> TransportSpec.choose("RTP/AVP/TCP;interleaved=1-1"));
        assertTrue(e.getMessage().contains("one value for RTP and RTCP"), e.getMessage());
        e = assertThrows(TransportSpec.UnsupportedTransportException.class,
                () -> TransportSpec.choose("RTP/AVP;unicast;client_port=5000-5001;destination=10.0.0.1"));
        assertTrue(e.getMessage().contains("destination"), e.getMessage());
        e = assertThrows(TransportSpec.UnsupportedTransportException.class,
                () -> TransportSpec.choose("RTP/AVP/TCP;interleaved=x-y"));
        assertTrue(e.getMessage().contains("'x' is not a number"), e.getMessage());
        assertThrows(TransportSpec.UnsupportedTransportException.class, () -> TransportSpec.choose(" "));
    }

    @Test
    void answersNameTheChoicesAndTheSsrc() {
        assertEquals("RTP/AVP/TCP;unicast;interleaved=2-3;ssrc=0000BEEF", TransportSpec.answerTcp(2, 3, 0xbeef));
        assertEquals("RTP/AVP;unicast;client_port=5000-5001;server_port=20000-20001;ssrc=FFFFFFFF",
                TransportSpec.answerUdp(5000, 5001, 20000, 20001, -1));
        assertEquals("RTP/AVP/TCP;unicast;interleaved=0-1;mode=record", TransportSpec.answerRecord(0, 1));
    }
}
