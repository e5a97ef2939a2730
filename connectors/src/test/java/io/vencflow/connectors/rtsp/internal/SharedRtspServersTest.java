package io.vencflow.connectors.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.rtsp.RtspServerConfig;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class SharedRtspServersTest {

    @Test
    void writersOfOneConfigShareOneServerWhichTheLastLeaseCloses() throws Exception {
        RtspServerConfig config = RtspServerConfig.builder().port(0).udpEnabled(false).build();
        SharedRtspServers.Lease a = SharedRtspServers.acquire(config, null);
        SharedRtspServers.Lease b = SharedRtspServers.acquire(config, null);
        assertSame(a.server(), b.server());
        int port = SharedRtspServers.boundPort(config).getAsInt();
        a.close();
        a.close(); // twice is harmless and does not count twice
        try (Socket s = new Socket("127.0.0.1", port)) {
            assertTrue(s.isConnected(), "still served while a lease is held");
        }
        b.close();
        assertFalse(SharedRtspServers.boundPort(config).isPresent());
    }

    @Test
    void aSecondConfigForTheSamePortIsRefusedNamingBoth() {
        RtspServerConfig first = RtspServerConfig.builder().port(0).sessionTimeoutSeconds(30).build();
        RtspServerConfig other = RtspServerConfig.builder().port(0).sessionTimeoutSeconds(31).build();
        try (SharedRtspServers.Lease lease = SharedRtspServers.acquire(first, null)) {
            assertTrue(lease.server().port() > 0);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> SharedRtspServers.acquire(other, null));
            assertTrue(e.getMessage().contains("session timeout 30 s") && e.getMessage().contains("session timeout 31 s"),
                    e.getMessage());
        }
    }
}
