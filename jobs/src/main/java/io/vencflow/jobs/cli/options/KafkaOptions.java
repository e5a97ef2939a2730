package io.vencflow.jobs.cli.options;

import picocli.CommandLine.Option;

/** Which Kafka to use and how; without --bootstrap-servers a local run starts an embedded broker. */
public final class KafkaOptions {
    /** The frame topic every job uses unless told otherwise. */
    public static final String FRAME_TOPIC = "vencflow-frames";
    /** The NAL topic every job uses unless told otherwise. */
    public static final String NAL_TOPIC = "vencflow-nal";

    @Option(names = "--bootstrap-servers",
            description = "Kafka bootstrap servers, host:port[,...] (default: an embedded broker on 127.0.0.1, local runs)")
    public String bootstrapServers;

    @Option(names = "--delivery",
            description = "exactly-once (Kafka transactions, visible at each checkpoint) or at-least-once (default: "
                    + "exactly-once for NAL records, at-least-once for frames, whose duplicates the encoder drops by sequence)")
    public String delivery;

    @Option(names = "--group-id",
            description = "consumer group of a Kafka source (default: vencflow-<command>[-<input topic>-<output topic>])")
    public String groupId;

    /** The consumer group: {@code --group-id}, else the job's default. */
    public String groupId(String byDefault) {
        return groupId != null ? groupId : byDefault;
    }

    /** Whether the output is exactly-once, given the job's default when --delivery is not given. */
    public boolean exactlyOnce(boolean byDefault) {
        if (delivery == null) {
            return byDefault;
        }
        return switch (delivery.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "exactly-once" -> true;
            case "at-least-once" -> false;
            default -> throw new IllegalArgumentException("--delivery '" + delivery
                    + "' is not exactly-once or at-least-once");
        };
    }

    @Option(names = "--partitions", defaultValue = "0",
            description = "partitions of topics vencflow creates; 0 = one per channel, at least 1 (default: ${DEFAULT-VALUE})")
    public int partitions;
}
