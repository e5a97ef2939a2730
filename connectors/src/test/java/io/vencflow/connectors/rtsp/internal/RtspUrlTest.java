package io.vencflow.connectors.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RtspUrlTest {

    @Test
    void aChannelUrlAndItsTrackUrlNameTheChannel() throws Exception {
        RtspUrl aggregate = RtspUrl.parse("rtsp://cam-host:8554/gate.north-1/");
        assertEquals("gate.north-1", aggregate.channel());
        assertNull(aggregate.control());
        assertTrue(aggregate.playable());
        RtspUrl track = RtspUrl.parse("RTSP://127.0.0.1/gate.north-1/trackID=0?x=1");
        assertEquals("gate.north-1", track.channel());
        assertEquals("trackID=0", track.control());
        assertTrue(track.playable());
        assertFalse(RtspUrl.parse("rtsp://h/cam/streamid=0").playable(), "a publisher's own control name");
    }

    @Test
    void malformedUrlsAre400AndUnknownPaths404() {
        assertFalse(badUrl("http://h/cam").notFound());
        assertFalse(badUrl("rtsp://h/ca m").notFound());
        assertFalse(badUrl("rtsp://h/%2e%2e").notFound());
        assertFalse(badUrl("rtsp://h/..").notFound());
        assertTrue(badUrl("rtsp://h/a/b/c").notFound());
        assertTrue(badUrl("rtsp://h").notFound());
        assertTrue(badUrl("rtsp://h/").notFound());
    }

    private static RtspUrl.BadUrlException badUrl(String url) {
        return assertThrows(RtspUrl.BadUrlException.class, () -> RtspUrl.parse(url));
    }
}
