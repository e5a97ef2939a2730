package io.vencflow.operators.testing;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;

/** The per-channel metrics of one job, read from Flink's in-memory metric reporter. */
public final class ChannelMetricValues {
    private final Map<String, Metric> metrics = new HashMap<>();

    private ChannelMetricValues() {
    }

    /**
     * The metrics of {@code channel} (the group {@code channel=<id>}) registered by operators of the
     * job whose name contains {@code operator}.
     */
    public static ChannelMetricValues of(InMemoryReporter reporter, JobID job, String operator, String channel) {
        ChannelMetricValues v = new ChannelMetricValues();
        reporter.getMetricsByGroup().forEach((group, metrics) -> {
            Map<String, String> vars = group.getAllVariables();
            if (channel.equals(vars.get("<channel>")) && job.toString().equals(vars.get("<job_id>"))
                    && vars.getOrDefault("<operator_name>", "").contains(operator)) {
                v.metrics.putAll(metrics);
            }
        });
        return v;
    }

    public long counter(String name) {
        Metric m = metrics.get(name);
        if (!(m instanceof Counter c)) {
            throw new AssertionError("no counter " + name + " among " + metrics.keySet());
        }
        return c.getCount();
    }

    public Object gauge(String name) {
        Metric m = metrics.get(name);
        if (!(m instanceof Gauge<?> g)) {
            throw new AssertionError("no gauge " + name + " among " + metrics.keySet());
        }
        return g.getValue();
    }

    public Histogram histogram(String name) {
        Metric m = metrics.get(name);
        if (!(m instanceof Histogram h)) {
            throw new AssertionError("no histogram " + name + " among " + metrics.keySet());
        }
        return h;
    }

    @Override
    public String toString() {
        return metrics.keySet().toString();
    }
}
