package io.vencflow.operators.internal;

import io.vencflow.core.frame.Frame;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys frames by their channel id. */
public final class ChannelKeySelector implements KeySelector<Frame, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(Frame frame) {
        return frame.channel();
    }
}
