package io.vencflow.connectors.internal;

import java.util.List;

/** The enumerator's checkpoint: the splits not yet handed to a reader (the others live in reader state). */
public record PendingSplits<S extends OrderedSplit>(List<S> splits) {
    public PendingSplits {
        splits = List.copyOf(splits);
    }
}
