package io.vencflow.connectors.internal;

import org.apache.flink.api.connector.source.SourceSplit;

/** A split with a fixed place among its source's splits, which decides the reader it goes to. */
public interface OrderedSplit extends SourceSplit {
    /** 0-based place among the source's splits; split {@code i} goes to reader {@code i % parallelism}. */
    int ordinal();
}
