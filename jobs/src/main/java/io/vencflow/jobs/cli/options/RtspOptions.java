package io.vencflow.jobs.cli.options;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The embedded RTSP server, and pushing to an external one. */
public final class RtspOptions {
    @Option(names = "--port", defaultValue = "8554",
            description = "RTSP port; 0 = any free port (default: ${DEFAULT-VALUE})")
    public int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "address the RTSP server listens on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE})")
    public String bind;

    @Option(names = "--rtsp-user", description = "user:password for RTSP Digest authentication (repeat for several)")
    public List<String> users = new ArrayList<>();

    @Option(names = "--push", description = "also publish every channel to this RTSP server: rtsp://host:port[/prefix]")
    public String pushUrl;

    @Option(names = "--no-rtsp", description = "do not serve RTSP")
    public boolean disabled;
}
