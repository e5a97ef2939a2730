package io.vencflow.connectors.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** Settings are checked when built, and a refusal names the setting, the value and what is accepted. */
class RtspSettingsTest {

    private static String refusal(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void serverSettingsOutOfRangeAreRefusedWithTheRange() {
        assertEquals("port 70000 is out of range; expected 0..65535", refusal(() -> RtspServerConfig.builder().port(70000).build()));
        assertTrue(refusal(() -> RtspServerConfig.builder().udpRtpPort(5001).build()).contains("even port 1024..65534"));
        assertEquals("session timeout (s) 0 is out of range; expected 1..3600",
                refusal(() -> RtspServerConfig.builder().sessionTimeoutSeconds(0).build()));
        assertTrue(refusal(() -> RtspServerConfig.builder().maxRtpPayloadBytes(20).build()).contains("64..65523"));
        assertTrue(refusal(() -> RtspServerConfig.builder().maxHeaderBytes(600).maxRequestLineBytes(1000).build())
                .contains("below the request line limit"));
        assertTrue(refusal(() -> RtspServerConfig.builder().user("a:b", "x").build()).contains("user name 'a:b'"));
        assertTrue(refusal(() -> RtspServerConfig.builder().user("a", "").build()).contains("empty password"));
        assertTrue(refusal(() -> RtspServerConfig.builder().bindAddress(" ").build()).contains("bind address"));
    }

    @Test
    void theServerConfigIsSerializableAndNeverPrintsPasswords() throws Exception {
        RtspServerConfig config = RtspServerConfig.builder().user("alice", "s3cret").build();
        assertFalse(config.toString().contains("s3cret"), config.toString());
        ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream());
        out.writeObject(RtspSink.builder().server(config).build());
        assertEquals(config, config.toBuilder().build());
    }

    @Test
    void pushSettingsAreCheckedWhenTheSinkIsBuiltNotInTheTaskManager() {
        assertTrue(refusal(() -> RtspPushSink.builder().build()).contains("push URL is not set"));
        assertTrue(refusal(() -> RtspPushSink.builder().url("http://x/").build()).contains("is not rtsp://host"));
        assertTrue(refusal(() -> RtspPushSink.builder().url("rtsp://x/").reconnectBackoffMs(500, 100).build())
                .contains("reconnect backoff 500..100 ms"));
        RtspPushClient client = RtspPushClient.builder().url("rtsp://u:p%40ss@example.net:8555/live").build();
        try (client) {
            assertEquals("rtsp://example.net:8555/live/cam", client.url("cam"));
        }
    }
}
