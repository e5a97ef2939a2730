package io.vencflow.operators.internal;

import io.vencflow.core.frame.Frame;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * Passes frames on and checks that each arrived at the subtask keyBy(channel) would have sent it to:
 * the guard in front of an encoder that trusts its input to be partitioned already. Chained to the
 * encoder (same parallelism and max parallelism), so it checks against the encoder's own key groups.
 */
public final class PartitionCheck extends RichMapFunction<Frame, Frame> {
    private static final long serialVersionUID = 1L;

    private transient int subtask;
    private transient int parallelism;
    private transient int maxParallelism;

    @Override
    public void open(OpenContext openContext) {
        RuntimeContext ctx = getRuntimeContext();
        subtask = ctx.getTaskInfo().getIndexOfThisSubtask();
        parallelism = ctx.getTaskInfo().getNumberOfParallelSubtasks();
        maxParallelism = ctx.getTaskInfo().getMaxNumberOfParallelSubtasks();
    }

    @Override
    public Frame map(Frame frame) {
        int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(frame.channel(), maxParallelism, parallelism);
        if (owner != subtask) {
            throw new IllegalStateException("frame #" + frame.sequence() + " of channel " + frame.channel()
                    + " arrived at subtask " + subtask + " of " + parallelism + "; channel " + frame.channel()
                    + " belongs to subtask " + owner + " (max parallelism " + maxParallelism + "): the input of"
                    + " VideoEncoding.encodePartitioned is not partitioned by channel; use VideoEncoding.encode");
        }
        return frame;
    }
}
